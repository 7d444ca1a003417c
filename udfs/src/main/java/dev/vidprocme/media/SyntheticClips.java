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
        List<String> args = new ArrayList<>(lavfi("testsrc2", width, height, fps, seconds));
        args.addAll(h264(fps));
        args.addAll(List.of("-bf", "2"));
        return run(out, args);
    }

    /**
     * A moving test pattern with a 440 Hz tone (AAC), one keyframe a second: {@code seconds * fps}
     * frames, for transcoding, where audio and part boundaries matter.
     */
    public static Path testPatternWithTone(Path out, int seconds, int fps, int width, int height)
            throws IOException {
        List<String> args = new ArrayList<>(lavfi("testsrc2", width, height, fps, seconds));
        args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds));
        args.addAll(
                List.of(
                        "-c:v",
                        "libx264",
                        "-preset",
                        "ultrafast",
                        "-pix_fmt",
                        "yuv420p",
                        "-g",
                        String.valueOf(fps),
                        "-c:a",
                        "aac",
                        "-shortest"));
        return run(out, args);
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
        List<String> args = new ArrayList<>(lavfi("color=c=red", width, half, fps, seconds));
        args.addAll(lavfi("color=c=blue", width, half, fps, seconds));
        args.addAll(List.of("-filter_complex", "[0:v][1:v]vstack"));
        args.addAll(h264(fps));
        run(plain, args);
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

    /** An input from one of FFmpeg's generated sources ({@code testsrc2}, {@code color=c=red}). */
    private static List<String> lavfi(String source, int width, int height, int fps, int seconds) {
        String separator = source.contains("=") ? ":" : "=";
        String size = width + "x" + height;
        return List.of(
                "-f",
                "lavfi",
                "-i",
                source + separator + "size=" + size + ":rate=" + fps + ":duration=" + seconds);
    }

    /** H.264 in 4:2:0 with a keyframe every second, so segments can be cut at each second. */
    private static List<String> h264(int fps) {
        return List.of(
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-pix_fmt",
                "yuv420p",
                "-g",
                String.valueOf(fps));
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
