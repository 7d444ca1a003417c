package dev.vidprocme.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Helpers the benchmarks share: options, statistics, CPU time, folders, the shared media. */
final class Bench {
    private Bench() {}

    /** Parses {@code --name value} pairs; anything else is an error. */
    /** What a benchmark does once its options are read and its work folder exists. */
    @FunctionalInterface
    interface Body {
        void run(Map<String, String> options, Path work) throws Exception;
    }

    /**
     * The frame of every stack benchmark's {@code main}: reads the options ({@code --tmp} among
     * them), runs {@code body} in a fresh work folder that is always deleted, prints what failed,
     * and exits with 0 or 1 (Flink and Kafka leave non-daemon threads behind, so returning would
     * not end the JVM).
     */
    static void main(String[] args, String name, Body body, String... known) {
        int code = 0;
        try {
            Map<String, String> options = options(args, known);
            Path tmp = Path.of(options.getOrDefault("tmp", System.getProperty("java.io.tmpdir")));
            Path work =
                    Files.createTempDirectory(
                            Files.createDirectories(tmp), "vidproc-" + name + "-bench-");
            try {
                body.run(options, work);
            } finally {
                deleteTree(work);
            }
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    static Map<String, String> options(String[] args, String... known) {
        List<String> allowed = Arrays.asList(known);
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !allowed.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "bad argument '"
                                + args[i]
                                + "'; options: --"
                                + String.join(" V, --", known)
                                + " V");
            }
            options.put(name, args[i + 1]);
        }
        return options;
    }

    static int intOption(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    /**
     * The shared test videos ({@code shared/media}) in the working dir or up to three levels above
     * it.
     */
    static Path sharedMedia() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/media");
            if (Files.isRegularFile(candidate.resolve("MANIFEST.json"))) {
                return candidate;
            }
        }
        return null;
    }

    static double median(double[] values) {
        return percentile(values, 50);
    }

    /** Nearest-rank percentile of {@code values} (0 < p <= 100). */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /**
     * CPU seconds used so far by this JVM and every process under it: running ones (the embedded
     * PostgreSQL) and reaped ones (ffmpeg runs), from Linux {@code /proc/PID/stat} (utime, stime,
     * cutime, cstime at 100 ticks/s); NaN elsewhere. Unlike wall time, it hardly moves when other
     * programs compete for the cores.
     */
    static double cpuSeconds() {
        try {
            long ticks = ticks(ProcessHandle.current().pid());
            for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                ticks += ticks(p.pid());
            }
            return ticks / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long ticks(long pid) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (java.nio.file.NoSuchFileException gone) {
            return 0; // exited meanwhile; its time shows in its parent's cutime once reaped
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        for (int i = 11; i <= 14; i++) {
            ticks += Long.parseLong(fields[i]);
        }
        return ticks;
    }

    /**
     * The one-minute load average (Linux), to show how busy the shared machine was; NaN elsewhere.
     */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Files in {@code dir} (not recursive) and their total size. */
    static FolderStats folderStats(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long[] sizes = files.filter(Files::isRegularFile).mapToLong(Bench::size).toArray();
            return new FolderStats(sizes.length, Arrays.stream(sizes).sum());
        }
    }

    /** Deletes {@code dir} and everything under it; a missing folder is fine. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How many files a folder holds and how many bytes they take. */
    record FolderStats(long files, long bytes) {}

    /** Wall and CPU seconds of one measured piece of work. */
    record Timed(double wallS, double cpuS) {}
}
