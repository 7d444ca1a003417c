package dev.vidprocme.media.transcode;

import dev.vidprocme.media.Ffmpeg;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Runs the bundled {@code ffmpeg} or {@code ffprobe} once: reports {@code -progress} times, kills
 * the process when the stop signal fires or the deadline passes, and keeps the end of its error
 * output for the exception a failure raises.
 */
final class FfmpegRun {
    private static final int TAIL_LINES = 20;
    private static final long POLL_MS = 50;

    /** How long one FFmpeg run may take before it is killed as hung. */
    static final Duration DEFAULT_DEADLINE = Duration.ofHours(2);

    private FfmpegRun() {}

    /**
     * Runs {@code ffmpeg} with {@code args} (which must include {@code -progress pipe:1} when
     * {@code progressUs} is not null) and returns when it exited successfully.
     */
    static void ffmpeg(
            List<String> args, LongConsumer progressUs, BooleanSupplier stop, String what)
            throws TranscodeException {
        List<String> command = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y"));
        command.addAll(args);
        run(Ffmpeg.executable(), command, progressUs, stop, what, DEFAULT_DEADLINE);
    }

    /** Runs {@code ffprobe} with {@code args} and returns what it printed on stdout. */
    static String ffprobe(List<String> args, String what) throws TranscodeException {
        List<String> command = new ArrayList<>(List.of("-hide_banner", "-v", "error"));
        command.addAll(args);
        StringBuilder out = new StringBuilder();
        runCollecting(Ffmpeg.probeExecutable(), command, out, what);
        return out.toString();
    }

    private static void runCollecting(
            String executable, List<String> args, StringBuilder out, String what)
            throws TranscodeException {
        Process process = start(executable, args, what);
        Deque<String> tail = new ArrayDeque<>();
        Thread errors = drain(process.getErrorStream(), tail, null);
        try {
            out.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new TranscodeException(what + ": ffprobe did not finish in 10 minutes");
            }
            errors.join();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new TranscodeException(what + ": cannot read ffprobe's output", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TranscodeException(what + ": interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new TranscodeException(
                    what + " failed (ffprobe exit " + process.exitValue() + "): " + tail(tail));
        }
    }

    static void run(
            String executable,
            List<String> args,
            LongConsumer progressUs,
            BooleanSupplier stop,
            String what,
            Duration deadline)
            throws TranscodeException {
        Process process = start(executable, args, what);
        Deque<String> tail = new ArrayDeque<>();
        Thread errors = drain(process.getErrorStream(), tail, null);
        Thread progress = drain(process.getInputStream(), null, progressUs);
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        try {
            while (!process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                if (stop != null && stop.getAsBoolean()) {
                    kill(process);
                    throw new TranscodeCancelledException(what + " was cancelled");
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    kill(process);
                    throw new TranscodeException(
                            what + " did not finish within " + deadline + "; killed");
                }
            }
            errors.join();
            progress.join();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new TranscodeException(what + ": interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new TranscodeException(
                    what + " failed (ffmpeg exit " + process.exitValue() + "): " + tail(tail));
        }
    }

    private static Process start(String executable, List<String> args, String what)
            throws TranscodeException {
        try {
            return Ffmpeg.program(executable, args).start();
        } catch (IOException e) {
            throw new TranscodeException(what + ": cannot start " + executable, e);
        }
    }

    /** Kills the process and waits for it, so no encoder outlives a cancelled unit. */
    private static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A daemon thread that reads {@code in} to its end: keeps the last lines in {@code tail} and
     * hands {@code out_time_us} values of FFmpeg's {@code -progress} output to {@code progress}.
     */
    private static Thread drain(InputStream in, Deque<String> tail, LongConsumer progress) {
        Thread t =
                new Thread(
                        () -> {
                            try (BufferedReader reader =
                                    new BufferedReader(
                                            new InputStreamReader(in, StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = reader.readLine()) != null) {
                                    if (tail != null) {
                                        synchronized (tail) {
                                            tail.addLast(line);
                                            if (tail.size() > TAIL_LINES) {
                                                tail.removeFirst();
                                            }
                                        }
                                    }
                                    if (progress != null && line.startsWith("out_time_us=")) {
                                        report(progress, line.substring("out_time_us=".length()));
                                    }
                                }
                            } catch (IOException e) {
                                // The process was killed; its exit status says what happened.
                            }
                        },
                        "ffmpeg-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void report(LongConsumer progress, String value) {
        try {
            long us = Long.parseLong(value.trim());
            if (us >= 0) {
                progress.accept(us);
            }
        } catch (NumberFormatException e) {
            // "N/A" before the first frame is written.
        }
    }

    private static String tail(Deque<String> tail) {
        synchronized (tail) {
            return tail.isEmpty() ? "(no error output)" : String.join("\n", tail);
        }
    }
}
