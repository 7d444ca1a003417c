package dev.vidprocme.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.local.ApiClient;
import dev.vidprocme.media.Ffmpeg;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.media.transcode.Codecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Transcoding through the pipeline (issue 5): one job turning a 30 s 720p clip with audio into a
 * 480p H.264 rendition, submission to COMPLETED, against the bundled ffmpeg command line doing the
 * same encode with {@code PartEncoder}'s settings in one process, in the same run. Target: at most
 * 1.1x.
 *
 * <p>Thumbnails are off in every job so only the rendition is measured. "Transcode only" asks for
 * no frames ({@code frames.mode none}: nothing is decoded or analysed), the fair comparison;
 * "default frames" keeps every frame as a JPEG with the default analysis, what a job that does not
 * say otherwise costs.
 */
public final class TranscodePipelineBenchmark {
    static final int SECONDS = 30;
    static final int FPS = 30;
    static final int WIDTH = 1280;
    static final int HEIGHT = 720;
    static final int OUT_WIDTH = 854; // RenditionPlan: 1280 * 480 / 720, rounded to even
    static final int OUT_HEIGHT = 480;
    static final int CRF = 23;
    static final int GOP = 2 * FPS; // PartEncoder.GOP_SECONDS at the input's rate
    static final int AUDIO_KBPS = 128; // PartEncoder's AAC default

    static final String RENDITION =
            "{\"name\":\"480p\",\"container\":\"mp4\",\"video\":{\"codec\":\"h264\",\"height\":480,"
                    + "\"crf\":23},\"audio\":{\"codec\":\"aac\"}}";
    static final String TRANSCODE_ONLY =
            "{\"frames\":{\"mode\":\"none\"},\"outputs\":["
                    + RENDITION
                    + "],\"thumbnails\":{\"enabled\":false}}";
    static final String DEFAULT_FRAMES =
            "{\"outputs\":[" + RENDITION + "],\"thumbnails\":{\"enabled\":false}}";

    private final Map<String, String> options;
    private final Path work;
    private final Path clip;
    private final int reps;
    private final long pollMs;
    private final Duration timeout;
    private final boolean withDefaultFrames;
    private int runs;

    private TranscodePipelineBenchmark(Map<String, String> options, Path work, Path clip) {
        this.options = options;
        this.work = work;
        this.clip = clip;
        this.reps = Bench.intOption(options, "reps", 3);
        this.pollMs = Bench.intOption(options, "poll-ms", 50);
        this.timeout = Duration.ofSeconds(Bench.intOption(options, "timeout-s", 300));
        this.withDefaultFrames =
                Boolean.parseBoolean(options.getOrDefault("default-frames", "true"));
    }

    public static void main(String[] args) {
        Bench.main(
                args,
                "transcode-pipeline",
                (options, work) -> {
                    System.out.printf(
                            "making a %d s %dx%d %d fps test pattern with a 440 Hz tone ...%n",
                            SECONDS, WIDTH, HEIGHT, FPS);
                    new TranscodePipelineBenchmark(options, work, clip(work)).run();
                },
                "reps",
                "parallelism",
                "poll-ms",
                "timeout-s",
                "default-frames",
                "profile",
                "tmp");
    }

    /**
     * The input: moving {@code testsrc2} at 720p with an AAC tone, H.264 with a keyframe every
     * second (as a camera or an upload service would write it), so parts can cut at keyframes.
     */
    static Path clip(Path work) throws Exception {
        return SyntheticClips.run(
                work.resolve("clip-720p.mp4"),
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size="
                                + WIDTH
                                + "x"
                                + HEIGHT
                                + ":rate="
                                + FPS
                                + ":duration="
                                + SECONDS,
                        "-f",
                        "lavfi",
                        "-i",
                        "sine=frequency=440:duration=" + SECONDS,
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-pix_fmt",
                        "yuv420p",
                        "-g",
                        String.valueOf(FPS),
                        "-c:a",
                        "aac",
                        "-shortest"));
    }

    private void run() throws Exception {
        System.out.printf(
                "720p->480p H.264 (libx264 %s, crf %d, GOP %d) + AAC %dk of a %d s clip; %d cores,"
                        + " load average %.2f%n",
                Codecs.X26X_PRESET,
                CRF,
                GOP,
                AUDIO_KBPS,
                SECONDS,
                Runtime.getRuntime().availableProcessors(),
                Bench.loadAverage());
        System.out.println("ffmpeg: " + String.join(" ", cliArgs(clip, work.resolve("OUT.mp4"))));
        System.out.println("pipeline spec, transcode only: " + TRANSCODE_ONLY);
        if (withDefaultFrames) {
            System.out.println("pipeline spec, default frames: " + DEFAULT_FRAMES);
        }
        Bench.Timed[] cli = new Bench.Timed[reps];
        Bench.Timed[] only = new Bench.Timed[reps];
        Bench.Timed[] full = new Bench.Timed[reps];
        try (StackUnderTest stack =
                        StackUnderTest.local(
                                work.resolve("data"),
                                Bench.intOption(
                                        options,
                                        "parallelism",
                                        StackUnderTest.defaultParallelism()));
                TranscodePhases phases = new TranscodePhases(stack.db());
                Database db = Database.connect(stack.db(), 1, "bench-outputs")) {
            Pipeline pipeline = new Pipeline(stack.client(), phases, db);
            // Warm-up: the JVM compiles, Flink's operators open their pools and connections.
            System.out.println("warming up (one CLI run, one job) ...");
            timeCli();
            pipeline.time(TRANSCODE_ONLY, "warm-up");
            ThreadProfile profile =
                    Boolean.parseBoolean(options.get("profile")) ? ThreadProfile.start() : null;
            for (int rep = 0; rep < reps; rep++) {
                // Alternate the order so a busy phase of the shared machine favours neither side.
                if (rep % 2 == 0) {
                    cli[rep] = timeCli();
                    only[rep] = pipeline.time(TRANSCODE_ONLY, "transcode only");
                    full[rep] = withDefaultFrames ? pipeline.time(DEFAULT_FRAMES, "default") : null;
                } else {
                    full[rep] = withDefaultFrames ? pipeline.time(DEFAULT_FRAMES, "default") : null;
                    only[rep] = pipeline.time(TRANSCODE_ONLY, "transcode only");
                    cli[rep] = timeCli();
                }
                System.out.printf(
                        "rep %d: ffmpeg %.2f s, transcode only %.2f s (ratio %.3f)%s; load %.2f%n",
                        rep + 1,
                        cli[rep].wallS(),
                        only[rep].wallS(),
                        only[rep].wallS() / cli[rep].wallS(),
                        withDefaultFrames
                                ? String.format(
                                        ", default frames %.2f s (ratio %.3f)",
                                        full[rep].wallS(), full[rep].wallS() / cli[rep].wallS())
                                : "",
                        Bench.loadAverage());
            }
            if (profile != null) {
                System.out.println("CPU by thread group over the measured reps:");
                profile.report(15).forEach(line -> System.out.println("  " + line));
            }
        }
        report(cli, only, full);
    }

    private void report(Bench.Timed[] cli, Bench.Timed[] only, Bench.Timed[] full) {
        double cliWall = Bench.median(wall(cli));
        double cliCpu = Bench.median(cpu(cli));
        System.out.printf(
                "%nmedians of %d: ffmpeg CLI %.2f s (%.2f CPU s); pipeline transcode only %.2f s"
                        + " (%.2f CPU s)%s%n",
                reps,
                cliWall,
                cliCpu,
                Bench.median(wall(only)),
                Bench.median(cpu(only)),
                withDefaultFrames
                        ? String.format(
                                ", default frames %.2f s (%.2f CPU s)",
                                Bench.median(wall(full)), Bench.median(cpu(full)))
                        : "");
        System.out.printf(
                "ratio pipeline/ffmpeg, transcode only: wall %.3f   [target <= 1.1]; CPU %.3f%n",
                Bench.median(wall(only)) / cliWall, Bench.median(cpu(only)) / cliCpu);
        if (withDefaultFrames) {
            System.out.printf(
                    "ratio pipeline/ffmpeg, default frames (every frame as JPEG + analysis): wall"
                            + " %.3f; CPU %.3f%n",
                    Bench.median(wall(full)) / cliWall, Bench.median(cpu(full)) / cliCpu);
        }
        System.out.printf("load average at the end %.2f%n", Bench.loadAverage());
    }

    private static double[] wall(Bench.Timed[] runs) {
        return java.util.Arrays.stream(runs).mapToDouble(Bench.Timed::wallS).toArray();
    }

    private static double[] cpu(Bench.Timed[] runs) {
        return java.util.Arrays.stream(runs).mapToDouble(Bench.Timed::cpuS).toArray();
    }

    /** One job at a time through the stack's API, timed from submission to its terminal status. */
    private final class Pipeline {
        private final ApiClient client;
        private final TranscodePhases phases;
        private final Database db;

        Pipeline(ApiClient client, TranscodePhases phases, Database db) {
            this.client = client;
            this.phases = phases;
            this.db = db;
        }

        /**
         * Submits one job of {@code spec} and waits for COMPLETED: wall seconds from submission,
         * and CPU seconds of the whole stack (this JVM, its FFmpeg runs, PostgreSQL) meanwhile.
         */
        Bench.Timed time(String spec, String label) throws Exception {
            double cpu = Bench.cpuSeconds();
            long start = System.nanoTime();
            String id = client.submit(clip, spec);
            double uploadS = Bench.seconds(System.nanoTime() - start);
            JsonNode job =
                    Jobs.awaitTerminal(client, List.of(id), pollMs, start + timeout.toNanos())
                            .get(0);
            double wallS = Bench.seconds(System.nanoTime() - start);
            double cpuS = Bench.cpuSeconds() - cpu;
            if (!job.path("status").asText().equals("COMPLETED")) {
                throw new IllegalStateException("job did not complete: " + job);
            }
            long bytes = renditionBytes(id);
            System.out.printf(
                    "  pipeline, %s: %.2f s, %.2f CPU s (upload %.2f s, server %.2f s), 480p.mp4"
                            + " %d kB; %s%n",
                    label,
                    wallS,
                    cpuS,
                    uploadS,
                    Jobs.serverSeconds(job),
                    bytes / 1000,
                    phases.of(id));
            return new Bench.Timed(wallS, cpuS);
        }

        /** The published rendition's size, so a job that completed without it cannot pass. */
        private long renditionBytes(String jobId) throws Exception {
            try (Connection c = db.connection();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT bytes FROM outputs WHERE job_id = ? AND name ="
                                            + " '480p.mp4'")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getLong(1) == 0) {
                        throw new IllegalStateException("job " + jobId + " has no 480p.mp4");
                    }
                    return rs.getLong(1);
                }
            }
        }
    }

    /** The same encode by the ffmpeg command line: wall and CPU seconds. */
    private Bench.Timed timeCli() throws Exception {
        Path out = work.resolve("cli-" + ++runs + ".mp4");
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        Process p =
                Ffmpeg.program(Ffmpeg.executable(), cliArgs(clip, out))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("ffmpeg failed: " + output);
        }
        double wallS = Bench.seconds(System.nanoTime() - start);
        // The stack idles meanwhile; its CPU counts here too, as the pipeline's idle parts do.
        double cpuS = Bench.cpuSeconds() - cpu;
        System.out.printf(
                "  ffmpeg: %.2f s, %.2f CPU s, %d kB%n", wallS, cpuS, Files.size(out) / 1000);
        Files.delete(out);
        return new Bench.Timed(wallS, cpuS);
    }

    /**
     * {@code PartEncoder}'s video settings (scale and square pixels, 4:2:0, libx264 at the house
     * preset, High profile, the CRF, a two-second GOP), its audio settings (AAC at 128 kb/s) and
     * the joiner's {@code +faststart}, in one process.
     */
    static List<String> cliArgs(Path clip, Path out) {
        return new ArrayList<>(
                List.of(
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-nostdin",
                        "-y",
                        "-i",
                        clip.toString(),
                        "-map",
                        "0:v:0",
                        "-map",
                        "0:a:0",
                        "-map_metadata",
                        "-1",
                        "-vf",
                        "scale=" + OUT_WIDTH + ":" + OUT_HEIGHT + ",setsar=1",
                        "-pix_fmt",
                        "yuv420p",
                        "-c:v",
                        "libx264",
                        "-preset",
                        Codecs.X26X_PRESET,
                        "-profile:v",
                        "high",
                        "-crf",
                        String.valueOf(CRF),
                        "-g",
                        String.valueOf(GOP),
                        "-c:a",
                        "aac",
                        "-b:a",
                        AUDIO_KBPS + "k",
                        "-movflags",
                        "+faststart",
                        "-f",
                        "mp4",
                        out.toString()));
    }
}
