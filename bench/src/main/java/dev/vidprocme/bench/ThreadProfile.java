package dev.vidprocme.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** CPU seconds per thread group of this JVM between two points, to see where time goes. */
final class ThreadProfile {
    private final Map<String, Long> startTicks;
    private final long startProcessTicks;
    private final double startTreeSeconds;

    private ThreadProfile() throws IOException {
        startTicks = threadTicks();
        startProcessTicks = processTicks();
        startTreeSeconds = Bench.cpuSeconds();
    }

    /** Starts counting; null where {@code /proc} cannot be read. */
    static ThreadProfile start() {
        try {
            return new ThreadProfile();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Lines of "seconds share group" since {@link #start}, largest first. Threads that ended
     * meanwhile (FFmpeg's decoder threads end with each segment) are one group; so are the
     * processes under this JVM.
     */
    List<String> report(int top) throws IOException {
        Map<String, Long> now = threadTicks();
        Map<String, Long> delta = new HashMap<>();
        long live = 0;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long d = e.getValue() - startTicks.getOrDefault(e.getKey(), 0L);
            delta.merge(group(e.getKey()), d, Long::sum);
            live += d;
        }
        long process = processTicks() - startProcessTicks;
        delta.put("(threads that ended: FFmpeg decoder threads, ...)", process - live);
        double tree = Bench.cpuSeconds() - startTreeSeconds;
        delta.put("(child processes: PostgreSQL)", Math.round(tree * 100) - process);
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        return delta.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(
                        e ->
                                String.format(
                                        "%7.2f s %5.1f%%  %s",
                                        e.getValue() / 100.0,
                                        100.0 * e.getValue() / total,
                                        e.getKey()))
                .toList();
    }

    /** A thread's group: its name without the trailing number ("decode-2" → "decode"). */
    private static String group(String key) {
        String name = key.substring(key.indexOf(' ') + 1);
        return name.replaceAll("[-# ]?\\d+$", "").replaceAll("-\\d+-", "-N-");
    }

    /** utime + stime of each live thread, keyed by "tid name". */
    private static Map<String, Long> threadTicks() throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(
                            task.getFileName() + " " + name,
                            Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (java.nio.file.NoSuchFileException ended) {
                    // The thread ended while we looked; its time counts as "threads that ended".
                }
            }
        }
        return ticks;
    }

    private static long processTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
