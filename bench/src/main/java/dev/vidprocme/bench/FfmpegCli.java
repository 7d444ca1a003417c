package dev.vidprocme.bench;

import dev.vidprocme.media.Ffmpeg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The baseline: the bundled {@code ffmpeg} writing every frame as a JPEG at {@code -q:v N}. */
final class FfmpegCli {
    private static final String EXECUTABLE = Ffmpeg.executable();

    private FfmpegCli() {}

    /**
     * Runs {@code ffmpeg -i clip -q:v qscale out/%06d.jpg}; returns the frames and bytes it wrote.
     */
    static Bench.FolderStats extract(Path clip, Path out, int qscale)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        List<String> args =
                List.of(
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-nostdin",
                        "-y",
                        "-i",
                        clip.toString(),
                        "-q:v",
                        String.valueOf(qscale),
                        out.resolve("out%06d.jpg").toString());
        Process process = Ffmpeg.program(EXECUTABLE, args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("ffmpeg did not finish within 10 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): " + output);
        }
        return Bench.folderStats(out);
    }

    /**
     * {@code count} extractions of {@code clip}, {@code concurrency} at a time, each into its own
     * folder under {@code root} (deleted afterwards): the command-line side of the jobs benchmarks.
     * Fails unless every run wrote {@code frames} frames, so a broken baseline cannot look fast.
     */
    static Bench.Timed extractAll(
            Path clip, Path root, int count, int concurrency, int qscale, long frames)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        try {
            List<Future<Bench.FolderStats>> runs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Path out = root.resolve("job-" + i);
                runs.add(pool.submit(() -> extract(clip, out, qscale)));
            }
            for (Future<Bench.FolderStats> run : runs) {
                if (run.get().files() != frames) {
                    throw new IllegalStateException(
                            "ffmpeg wrote " + run.get().files() + " frames, not " + frames);
                }
            }
        } finally {
            pool.shutdown();
        }
        Bench.Timed timed =
                new Bench.Timed(Bench.seconds(System.nanoTime() - start), Bench.cpuSeconds() - cpu);
        Bench.deleteTree(root);
        return timed;
    }
}
