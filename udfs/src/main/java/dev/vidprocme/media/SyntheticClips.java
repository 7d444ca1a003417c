package dev.vidprocme.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes real H.264 clips with the {@code ffmpeg} program that ships inside the FFmpeg jar, so the
 * demo, the tests and the benchmarks need no video from anywhere else.
 */
public final class SyntheticClips {
    private SyntheticClips() {}

    /** A moving test pattern with a one-second GOP: {@code seconds * fps} frames. */
    public static Path testPattern(Path out, int seconds, int fps, int width, int height)
            throws IOException {
        return run(
                out,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size="
                                + width
                                + "x"
                                + height
                                + ":rate="
                                + fps
                                + ":duration="
                                + seconds,
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-pix_fmt",
                        "yuv420p",
                        "-g",
                        String.valueOf(fps),
                        "-bf",
                        "2"));
    }

    /**
     * A clip whose coded frames are red on top and blue below, tagged with display rotation {@code
     * ccwDegrees} (what ffprobe reports as "rotation"), to check frames come out upright.
     */
    public static Path rotated(
            Path out, int seconds, int fps, int width, int height, int ccwDegrees)
            throws IOException {
        Path plain = out.resolveSibling("unrotated-" + out.getFileName());
        int half = height / 2;
        run(
                plain,
                List.of(
                        "-f",
                        "lavfi",
                        "-i",
                        "color=c=red:size="
                                + width
                                + "x"
                                + half
                                + ":rate="
                                + fps
                                + ":duration="
                                + seconds,
                        "-f",
                        "lavfi",
                        "-i",
                        "color=c=blue:size="
                                + width
                                + "x"
                                + half
                                + ":rate="
                                + fps
                                + ":duration="
                                + seconds,
                        "-filter_complex",
                        "[0:v][1:v]vstack",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-pix_fmt",
                        "yuv420p",
                        "-g",
                        String.valueOf(fps)));
        try {
            return run(
                    out,
                    List.of(
                            "-display_rotation:v:0",
                            String.valueOf(ccwDegrees),
                            "-i",
                            plain.toString(),
                            "-c",
                            "copy"));
        } finally {
            Files.deleteIfExists(plain);
        }
    }

    /**
     * Runs the bundled ffmpeg with {@code args} and writes {@code out}, failing with its stderr.
     */
    public static Path run(Path out, List<String> args) throws IOException {
        List<String> command =
                new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
        command.addAll(args);
        command.add(out.toString());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Process process =
                Ffmpeg.program(Ffmpeg.executable(), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(
                        "ffmpeg failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ffmpeg", e);
        }
        return out;
    }
}
