package dev.vidprocme.bench;

import dev.vidprocme.media.Ffmpeg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
