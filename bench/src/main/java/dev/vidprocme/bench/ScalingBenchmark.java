package dev.vidprocme.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scaling (issue 3): ConcurrentJobsBenchmark's 100-job workload on a fresh local stack at each
 * Flink parallelism of {@code --parallelism} (default {@code 1,2}), same clip, same warm-up, and
 * the throughput of each as a ratio to the lowest parallelism's.
 *
 * <p>The stacks share this JVM, so a throwaway stack first runs the workload once ({@code
 * --jvm-warmup}) and the measured stacks both run on compiled code; run the list in both orders
 * ({@code 1,2} and {@code 2,1}) to see what order effect is left. For reference the program also
 * times the same extractions with the {@code ffmpeg} command line at each of those concurrencies:
 * that ratio is what more parallel work buys on this machine's cores at all.
 */
public final class ScalingBenchmark {
    private static final int JVM_WARMUP_JOBS = 100;

    private final Map<String, String> options;
    private final Path work;
    private final Path clip;
    private final List<Integer> parallelisms;
    private final int jobs;

    private ScalingBenchmark(Map<String, String> options, Path work, Path clip) {
        this.options = options;
        this.work = work;
        this.clip = clip;
        this.parallelisms =
                Arrays.stream(options.getOrDefault("parallelism", "1,2").split(","))
                        .map(String::trim)
                        .map(Integer::parseInt)
                        .toList();
        this.jobs = Bench.intOption(options, "jobs", 100);
        if (parallelisms.isEmpty()
                || parallelisms.stream().anyMatch(p -> p < 1)
                || parallelisms.stream().distinct().count() != parallelisms.size()) {
            throw new IllegalArgumentException(
                    "--parallelism takes a comma-separated list of different parallelisms >= 1,"
                            + " e.g. 1,2; got "
                            + parallelisms);
        }
    }

    public static void main(String[] args) {
        Bench.main(
                args,
                "scaling",
                (options, work) -> {
                    new ScalingBenchmark(options, work, ConcurrentJobsBenchmark.clip(work)).run();
                },
                "parallelism",
                "jobs",
                "clients",
                "warmup",
                "poll-ms",
                "timeout-s",
                "tmp",
                "profile",
                "baseline",
                "jvm-warmup");
    }

    private void run() throws Exception {
        System.out.printf(
                "%d jobs of a %d s 640x360 %d fps clip (%d frames each) at Flink parallelism %s;"
                        + " %d cores, load average %.1f%n",
                jobs,
                ConcurrentJobsBenchmark.SECONDS,
                ConcurrentJobsBenchmark.FPS,
                ConcurrentJobsBenchmark.FRAMES,
                parallelisms,
                Runtime.getRuntime().availableProcessors(),
                Bench.loadAverage());
        Map<Integer, Bench.Timed> ffmpeg =
                Boolean.parseBoolean(options.getOrDefault("baseline", "true"))
                        ? ffmpegReference()
                        : Map.of();
        warmJvm(Bench.intOption(options, "jvm-warmup", JVM_WARMUP_JOBS));
        Map<Integer, JobBatch.Result> pipeline = new LinkedHashMap<>();
        for (int parallelism : parallelisms) {
            try (StackUnderTest stack =
                    StackUnderTest.local(work.resolve("data-p" + parallelism), parallelism)) {
                JobBatch.Result result =
                        batch(stack)
                                .warmThenMeasure(
                                        Bench.intOption(options, "warmup", 4),
                                        jobs,
                                        Boolean.parseBoolean(options.get("profile")));
                pipeline.put(parallelism, result);
                System.out.printf(
                        "parallelism %d: %.2f s, %.2f jobs/s, %.0f frames/s%n",
                        parallelism, result.wallS(), result.jobsPerS(), result.framesPerS());
            }
        }
        report(pipeline, ffmpeg);
    }

    /**
     * The ffmpeg extractions at each concurrency, in the list's order and then in reverse ({@code
     * 1,2,2,1}), each concurrency's time the mean of its two. Run once in list order, the second
     * batch was the slower one in all four runs, whichever concurrency it was (16.4 to 16.6 s
     * first, 18.3 to 22.0 s second), so a single pass measured the order, not the concurrency.
     */
    private Map<Integer, Bench.Timed> ffmpegReference() throws Exception {
        FfmpegCli.extract(clip, work.resolve("warm-up"), ConcurrentJobsBenchmark.QSCALE);
        Bench.deleteTree(work.resolve("warm-up"));
        List<Integer> reverse = new ArrayList<>(parallelisms);
        Collections.reverse(reverse);
        List<Integer> order = new ArrayList<>(parallelisms);
        order.addAll(reverse);
        Map<Integer, Bench.Timed> sums = new LinkedHashMap<>();
        for (int concurrency : order) {
            Bench.Timed timed =
                    FfmpegCli.extractAll(
                            clip,
                            work.resolve("baseline"),
                            jobs,
                            concurrency,
                            ConcurrentJobsBenchmark.QSCALE,
                            ConcurrentJobsBenchmark.FRAMES);
            System.out.printf(
                    "ffmpeg, %d at a time: %.2f s, %.0f frames/s, %.2f CPU ms/frame, %.2f cores"
                            + " busy%n",
                    concurrency,
                    timed.wallS(),
                    frames() / timed.wallS(),
                    timed.cpuS() * 1000 / frames(),
                    timed.cpuS() / timed.wallS());
            sums.merge(
                    concurrency,
                    timed,
                    (a, b) -> new Bench.Timed(a.wallS() + b.wallS(), a.cpuS() + b.cpuS()));
        }
        Map<Integer, Bench.Timed> means = new LinkedHashMap<>();
        sums.forEach((c, t) -> means.put(c, new Bench.Timed(t.wallS() / 2, t.cpuS() / 2)));
        return means;
    }

    /**
     * Runs {@code count} jobs on a throwaway stack at the first parallelism, so that the measured
     * stacks both run on compiled code. Without it the stack measured first spent 2.7 to 3.2 CPU ms
     * a frame and the one measured second 2.1 to 2.6, whichever parallelism came first, and the
     * ratio said more about the order than about the parallelism.
     */
    private void warmJvm(int count) throws Exception {
        if (count <= 0) {
            return;
        }
        int parallelism = parallelisms.get(0);
        try (StackUnderTest stack =
                StackUnderTest.local(work.resolve("data-jvm-warm-up"), parallelism)) {
            JobBatch.Result r = batch(stack).run(count, false);
            System.out.printf(
                    "JVM warm-up, not counted: %d jobs at parallelism %d, %.0f frames/s, %.2f CPU"
                            + " ms/frame%n",
                    count, parallelism, r.framesPerS(), r.cpuS() * 1000 / r.frames());
        }
    }

    private JobBatch batch(StackUnderTest stack) {
        return new JobBatch(
                stack.client(),
                clip,
                ConcurrentJobsBenchmark.SPEC,
                ConcurrentJobsBenchmark.FRAMES,
                Bench.intOption(options, "clients", 16),
                Bench.intOption(options, "poll-ms", 1000),
                Duration.ofSeconds(Bench.intOption(options, "timeout-s", 600)));
    }

    /**
     * Throughput is CPU obtained divided by CPU spent per frame; printing both ("cores" is this
     * process tree's CPU seconds per wall second) tells a costlier configuration from one that got
     * less of a machine other programs were using too.
     */
    private void report(Map<Integer, JobBatch.Result> pipeline, Map<Integer, Bench.Timed> ffmpeg) {
        int base = parallelisms.stream().mapToInt(Integer::intValue).min().orElseThrow();
        JobBatch.Result first = pipeline.get(base);
        System.out.printf(
                "%n%-11s %8s %7s %9s %8s %8s %10s %6s %s%n",
                "parallelism",
                "wall s",
                "jobs/s",
                "frames/s",
                "p50 s",
                "p95 s",
                "CPU ms/fr",
                "cores",
                "throughput vs p" + base);
        for (Map.Entry<Integer, JobBatch.Result> e : pipeline.entrySet()) {
            JobBatch.Result r = e.getValue();
            System.out.printf(
                    "%-11d %8.2f %7.2f %9.0f %8.2f %8.2f %10.2f %6.2f %.2f%n",
                    e.getKey(),
                    r.wallS(),
                    r.jobsPerS(),
                    r.framesPerS(),
                    Bench.percentile(r.latenciesS(), 50),
                    Bench.percentile(r.latenciesS(), 95),
                    r.cpuS() * 1000 / r.frames(),
                    r.cpuS() / r.wallS(),
                    r.framesPerS() / first.framesPerS());
        }
        List<String> ratios = new ArrayList<>();
        for (int p : pipeline.keySet()) {
            if (p != base) {
                JobBatch.Result r = pipeline.get(p);
                ratios.add(
                        String.format(
                                "p%d/p%d %.2f (cores busy %.2f, frames per CPU second %.2f)",
                                p,
                                base,
                                r.framesPerS() / first.framesPerS(),
                                (r.cpuS() / r.wallS()) / (first.cpuS() / first.wallS()),
                                (r.frames() / r.cpuS()) / (first.frames() / first.cpuS())));
            }
        }
        System.out.printf("pipeline throughput ratio: %s%n", String.join(", ", ratios));
        if (!ffmpeg.isEmpty()) {
            List<String> reference = new ArrayList<>();
            for (int c : ffmpeg.keySet()) {
                if (c != base) {
                    reference.add(
                            String.format(
                                    "%d/%d at a time %.2f",
                                    c, base, ffmpeg.get(base).wallS() / ffmpeg.get(c).wallS()));
                }
            }
            System.out.printf(
                    "ffmpeg reference, the same extractions (mean of both passes): %s%n",
                    String.join(", ", reference));
        }
    }

    private long frames() {
        return (long) jobs * ConcurrentJobsBenchmark.FRAMES;
    }
}
