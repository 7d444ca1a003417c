package dev.vidprocme.bench;

import dev.vidprocme.media.Ffmpeg;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.media.transcode.Codecs;
import dev.vidprocme.media.transcode.MediaStreams;
import dev.vidprocme.media.transcode.StreamProbe;
import dev.vidprocme.media.transcode.Transcoder;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.VideoOutputSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The transcode library against the ffmpeg command line: (a) one 720p to 480p H.264 rendition
 * through {@link Transcoder} in one part against the same encode by {@code ffmpeg}; (b) a
 * five-minute input split into parts on 1 and 2 workers against one unsplit encode.
 */
public final class TranscodeBenchmark {
    private static final int CRF = 23;
    private static final int GOP_SECONDS = 2;

    private final Path work;
    private int runs;

    private TranscodeBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) {
        Bench.main(
                args,
                "transcode",
                (options, work) ->
                        new TranscodeBenchmark(work)
                                .run(
                                        Bench.intOption(options, "reps", 2),
                                        Bench.intOption(options, "long-s", 300),
                                        Bench.intOption(options, "long-height", 180),
                                        Bench.intOption(options, "part-s", 30)),
                "reps",
                "long-s",
                "long-height",
                "part-s",
                "tmp");
    }

    private void run(int reps, int longSeconds, int longHeight, int partSeconds) throws Exception {
        System.out.printf(
                "%d cores, load %.2f; libx264 preset %s, crf %d, GOP %d s%n",
                Runtime.getRuntime().availableProcessors(),
                Bench.loadAverage(),
                Codecs.X26X_PRESET,
                CRF,
                GOP_SECONDS);
        System.out.println("making a 30 s 1280x720 30 fps test pattern ...");
        Path clip = SyntheticClips.testPattern(work.resolve("clip-720p.mp4"), 30, 30, 1280, 720);
        int longWidth = (longHeight * 16 / 9) & ~1;
        System.out.printf(
                "making a %d s %dx%d 30 fps test pattern ...%n",
                longSeconds, longWidth, longHeight);
        Path longClip =
                SyntheticClips.testPattern(
                        work.resolve("clip-long.mp4"), longSeconds, 30, longWidth, longHeight);

        // (a) one job, one part: the library's overhead (probe, plan, join, verify) on top of the
        // encode.
        OutputSpec to480 = rendition(480);
        Input a = input(clip);
        double[] cli = new double[reps];
        double[] lib = new double[reps];
        double[] cliCpu = new double[reps];
        double[] libCpu = new double[reps];
        timeCli(clip, 854, 480);
        timeLibrary(a, to480, 1, 0);
        for (int rep = 0; rep < reps; rep++) {
            Bench.Timed c;
            Bench.Timed l;
            // Alternate the order so a slow phase of the shared machine does not favour one side.
            if (rep % 2 == 0) {
                c = timeCli(clip, 854, 480);
                l = timeLibrary(a, to480, 1, 0);
            } else {
                l = timeLibrary(a, to480, 1, 0);
                c = timeCli(clip, 854, 480);
            }
            cli[rep] = c.wallS();
            lib[rep] = l.wallS();
            cliCpu[rep] = c.cpuS();
            libCpu[rep] = l.cpuS();
            System.out.printf(
                    "(a) rep %d: ffmpeg %.2f s (%.1f CPU s), Transcoder %.2f s (%.1f CPU s), wall"
                            + " ratio %.3f%n",
                    rep + 1, c.wallS(), c.cpuS(), l.wallS(), l.cpuS(), l.wallS() / c.wallS());
        }
        System.out.printf(
                "(a) 720p->480p H.264 of 30 s: median Transcoder/ffmpeg wall time %.3f   [target"
                        + " <= 1.1]; CPU time %.3f%n",
                Bench.median(lib) / Bench.median(cli), Bench.median(libCpu) / Bench.median(cliCpu));

        // (b) one long input: unsplit, split on one worker, split on two workers.
        OutputSpec keep = rendition(longHeight);
        Input b = input(longClip);
        long partUs = partSeconds * 1_000_000L;
        Bench.Timed single = timeLibrary(b, keep, 1, 0);
        Bench.Timed split1 = timeLibrary(b, keep, 1, partUs);
        Bench.Timed split2 = timeLibrary(b, keep, 2, partUs);
        System.out.printf(
                "(b) %d s %dx%d: one encode %.2f s (%.1f CPU s); %d s parts on 1 worker %.2f s"
                        + " (%.1f CPU s); on 2 workers %.2f s (%.1f CPU s)%n",
                longSeconds,
                longWidth,
                longHeight,
                single.wallS(),
                single.cpuS(),
                partSeconds,
                split1.wallS(),
                split1.cpuS(),
                split2.wallS(),
                split2.cpuS());
        System.out.printf(
                "(b) throughput 2 workers / 1 worker: %.3f; split+join overhead (split on 1 worker"
                        + " / one encode): wall %.3f, CPU %.3f%n",
                split1.wallS() / split2.wallS(),
                split1.wallS() / single.wallS(),
                split1.cpuS() / single.cpuS());
        System.out.printf("load at the end %.2f%n", Bench.loadAverage());
    }

    private static OutputSpec rendition(int height) {
        return new OutputSpec(
                "r",
                "mp4",
                new VideoOutputSpec("h264", height, CRF, null, null, null),
                new AudioOutputSpec("none", null));
    }

    private record Input(Path file, ProbeResult probe, MediaStreams streams) {}

    private static Input input(Path file) throws Exception {
        return new Input(file, MediaProbe.probe(file), StreamProbe.probe(file));
    }

    /** Probe, plan, encode on {@code workers}, join and verify: wall seconds. */
    private Bench.Timed timeLibrary(Input in, OutputSpec spec, int workers, long partUs)
            throws Exception {
        Path out = work.resolve("run-" + ++runs);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        try {
            // The probes are part of the work a job does for its rendition.
            Input probed = input(in.file());
            new Transcoder(pool, partUs)
                    .transcode(
                            probed.file(),
                            probed.probe(),
                            probed.streams(),
                            spec,
                            out,
                            p -> {},
                            () -> false);
            return new Bench.Timed(
                    Bench.seconds(System.nanoTime() - start), Bench.cpuSeconds() - cpu);
        } finally {
            pool.shutdownNow();
            Bench.deleteTree(out);
        }
    }

    /** The same encode by the ffmpeg command line: wall seconds. */
    private Bench.Timed timeCli(Path clip, int width, int height) throws Exception {
        Path out = work.resolve("cli-" + ++runs + ".mp4");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-hide_banner",
                                "-loglevel",
                                "error",
                                "-nostdin",
                                "-y",
                                "-i",
                                clip.toString(),
                                "-an",
                                "-vf",
                                "scale=" + width + ":" + height + ",setsar=1",
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
                                String.valueOf(30 * GOP_SECONDS),
                                "-movflags",
                                "+faststart",
                                out.toString()));
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        Process p = Ffmpeg.program(Ffmpeg.executable(), args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + output);
        }
        Bench.Timed timed =
                new Bench.Timed(Bench.seconds(System.nanoTime() - start), Bench.cpuSeconds() - cpu);
        Files.delete(out);
        return timed;
    }
}
