package dev.vidprocme.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.local.ApiClient;
import dev.vidprocme.media.SyntheticClips;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Priority latency (issue 3): a priority-9 job's time from submission to completion while a backlog
 * of priority-1 jobs saturates the workers, as a ratio to the same job's time on the idle system,
 * both measured in the same run. Target: at most 2.
 *
 * <p>The run: warm-up jobs; the priority-9 job on the idle system, {@code --reps} times; a backlog
 * of {@code --backlog} priority-1 jobs of a longer clip, and once every backlog job is planned and
 * {@code /v1/queue} shows backlog units waiting, the priority-9 job again, {@code --saturated-reps}
 * times one after another on what is left of that backlog; the backlog's throughput once it ends;
 * then the idle measurement again, so a JVM that warms up during the run biases neither side.
 */
public final class PriorityLatencyBenchmark {
    private static final int HIGH = 9;
    private static final int LOW = 1;
    private static final String HIGH_SPEC = "{\"priority\":9,\"frames\":{\"quality\":93}}";
    private static final String LOW_SPEC = "{\"priority\":1,\"frames\":{\"quality\":93}}";
    private static final int FPS = ConcurrentJobsBenchmark.FPS;
    private static final long HIGH_FRAMES = ConcurrentJobsBenchmark.FRAMES;
    private static final long CHECK_MS = 100;

    /**
     * Warm-up jobs, submitted at once. With 4, the idle median before the backlog was 1.2 to 1.8
     * times the one after it (the JVM was still compiling); with 20 it was 0.9 to 1.2 times in four
     * runs. The idle time in the ratio is the mean of both medians.
     */
    private static final int WARMUP_JOBS = 20;

    private final Map<String, String> options;
    private final Path clip;
    private final Path backlogClip;
    private final int reps;
    private final int saturatedReps;
    private final int backlogJobs;
    private final int backlogSeconds;
    private final int clients;
    private final long pollMs;
    private final Duration timeout;
    private JobPhases phases;

    private PriorityLatencyBenchmark(Map<String, String> options, Path clip, Path backlogClip) {
        this.options = options;
        this.clip = clip;
        this.backlogClip = backlogClip;
        this.reps = Bench.intOption(options, "reps", 5);
        this.saturatedReps = Bench.intOption(options, "saturated-reps", 5);
        this.backlogJobs = Bench.intOption(options, "backlog", 40);
        this.backlogSeconds = Bench.intOption(options, "backlog-s", 30);
        this.clients = Bench.intOption(options, "clients", 16);
        this.pollMs = Bench.intOption(options, "poll-ms", 50);
        this.timeout = Duration.ofSeconds(Bench.intOption(options, "timeout-s", 600));
    }

    public static void main(String[] args) {
        Bench.main(
                args,
                "priority",
                (options, work) -> {
                    int backlogSeconds = Bench.intOption(options, "backlog-s", 30);
                    Path backlogClip =
                            SyntheticClips.testPattern(
                                    work.resolve("backlog.mp4"), backlogSeconds, FPS, 640, 360);
                    new PriorityLatencyBenchmark(
                                    options, ConcurrentJobsBenchmark.clip(work), backlogClip)
                            .run(work);
                },
                "reps",
                "saturated-reps",
                "backlog",
                "backlog-s",
                "clients",
                "warmup",
                "poll-ms",
                "parallelism",
                "api",
                "token",
                "timeout-s",
                "tmp",
                "profile");
    }

    private void run(Path work) throws Exception {
        System.out.printf(
                "a priority-%d job of a %d s 640x360 %d fps clip (%d frames, every frame, quality"
                        + " 93) against a backlog of %d priority-%d jobs of a %d s clip (%d frames"
                        + " each); %d cores, load average %.1f%n",
                HIGH,
                ConcurrentJobsBenchmark.SECONDS,
                FPS,
                HIGH_FRAMES,
                backlogJobs,
                LOW,
                backlogSeconds,
                backlogFrames(),
                Runtime.getRuntime().availableProcessors(),
                Bench.loadAverage());
        System.out.printf(
                "timing resolution: status polled every %d ms, so a time is late by at most %d ms"
                        + " plus one request%n",
                pollMs, pollMs);
        try (StackUnderTest stack = StackUnderTest.open(options, work.resolve("data"))) {
            ApiClient client = stack.client();
            phases = stack.inProcess() ? new JobPhases(stack.db()) : null;
            LatencyProbe probe =
                    new LatencyProbe(client, clip, HIGH_SPEC, HIGH_FRAMES, pollMs, timeout);
            int warmup = Bench.intOption(options, "warmup", WARMUP_JOBS);
            if (warmup > 0) {
                JobBatch batch =
                        new JobBatch(
                                client, clip, HIGH_SPEC, HIGH_FRAMES, clients, CHECK_MS, timeout);
                System.out.printf(
                        "warm-up: %d job(s) in %.2f s%n", warmup, batch.run(warmup, false).wallS());
            }
            List<Measured> idleBefore = idle(client, probe, "idle before");
            Saturated saturated = saturated(client, probe);
            List<Measured> idleAfter = idle(client, probe, "idle after");
            report(idleBefore, saturated, idleAfter);
        } finally {
            if (phases != null) {
                phases.close();
            }
        }
    }

    /** The probe job {@code reps} times, each once the queue is empty. */
    private List<Measured> idle(ApiClient client, LatencyProbe probe, String label)
            throws Exception {
        List<Measured> samples = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            awaitIdle(client);
            Measured measured = measure(probe);
            samples.add(measured);
            System.out.printf("%s %d: %s%n", label, i + 1, measured);
        }
        return samples;
    }

    /** One probe job, with its phases where the stack runs here. */
    private Measured measure(LatencyProbe probe) throws Exception {
        LatencyProbe.Sample sample = probe.measure();
        return new Measured(sample, phases == null ? null : phases.of(sample.id()));
    }

    /**
     * Submits the backlog, waits until it saturates the workers, times the probe job against it,
     * then waits for the backlog to finish and checks every job of it.
     */
    private Saturated saturated(ApiClient client, LatencyProbe probe) throws Exception {
        ThreadProfile profile =
                Boolean.parseBoolean(options.get("profile")) ? ThreadProfile.start() : null;
        Instant first = Instant.now();
        long start = System.nanoTime();
        List<String> backlog = Jobs.submit(client, backlogClip, LOW_SPEC, backlogJobs, clients);
        System.out.printf(
                "backlog: %d priority-%d jobs submitted in %.2f s%n",
                backlogJobs, LOW, Bench.seconds(System.nanoTime() - start));
        QueueReading saturatedAt = awaitSaturated(client, backlog);
        System.out.printf(
                "saturated %.2f s after the first submission: every backlog job planned; queue:"
                        + " %s%n",
                Bench.seconds(System.nanoTime() - start), saturatedAt);
        List<Measured> samples = new ArrayList<>();
        for (int i = 0; i < saturatedReps; i++) {
            int finishedBefore = Jobs.countTerminal(client, backlog);
            QueueReading queue = QueueReading.read(client);
            if (queue.waiting(LOW) == 0) {
                System.out.printf(
                        "no backlog unit waits any more (%s); stopping after %d rep(s)%n",
                        queue, i);
                break;
            }
            Measured measured = measure(probe);
            int finishedAfter = Jobs.countTerminal(client, backlog);
            samples.add(measured);
            System.out.printf(
                    "saturated %d: %s%n  queue at submission: %s; backlog jobs finished: %d"
                            + " before, %d after (%d unfinished)%n",
                    i + 1,
                    measured,
                    queue,
                    finishedBefore,
                    finishedAfter,
                    backlogJobs - finishedAfter);
        }
        if (profile != null) {
            System.out.println("CPU by thread group, backlog submission to the last probe job:");
            profile.report(14).forEach(line -> System.out.println("  " + line));
        }
        List<JsonNode> done =
                Jobs.awaitTerminal(client, backlog, 500, System.nanoTime() + timeout.toNanos());
        Instant last = first;
        for (JsonNode job : done) {
            Jobs.requireCompleted(job, backlogFrames());
            last = Jobs.updatedAt(job).isAfter(last) ? Jobs.updatedAt(job) : last;
        }
        double wallS = Duration.between(first, last).toNanos() / 1e9;
        System.out.printf(
                "backlog: %d jobs COMPLETED, %.2f s from the first submission to the last"
                        + " completion%n",
                backlogJobs, wallS);
        return new Saturated(samples, wallS);
    }

    /**
     * Waits until every backlog job has been planned (its status left QUEUED) and the queue still
     * shows backlog units waiting: from then on the workers only have backlog segments to choose
     * from, which is the saturated state the target is about.
     */
    private QueueReading awaitSaturated(ApiClient client, List<String> backlog) throws Exception {
        Set<String> unplanned = new HashSet<>(backlog);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String id : List.copyOf(unplanned)) {
                if (!client.job(id).path("status").asText().equals("QUEUED")) {
                    unplanned.remove(id);
                }
            }
            QueueReading queue = QueueReading.read(client);
            if (unplanned.isEmpty()) {
                if (queue.waiting(LOW) == 0) {
                    throw new IllegalStateException(
                            "the backlog was planned but nothing of it waits ("
                                    + queue
                                    + "): raise --backlog or --backlog-s");
                }
                return queue;
            }
            Thread.sleep(CHECK_MS);
        }
        throw new IllegalStateException(unplanned.size() + " backlog job(s) never got planned");
    }

    private void awaitIdle(ApiClient client) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        QueueReading queue = QueueReading.read(client);
        while (!queue.idle()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the stack never went idle; queue: " + queue);
            }
            Thread.sleep(CHECK_MS);
            queue = QueueReading.read(client);
        }
    }

    private void report(List<Measured> before, Saturated saturated, List<Measured> after) {
        List<Measured> loaded = saturated.samples();
        if (loaded.isEmpty()) {
            throw new IllegalStateException("no saturated measurement: raise --backlog");
        }
        double idle = (median(before, true) + median(after, true)) / 2;
        double idleServer = (median(before, false) + median(after, false)) / 2;
        double high = median(loaded, true);
        double highServer = median(loaded, false);
        long frames = (long) backlogJobs * backlogFrames();
        System.out.printf(
                "%nidle:      %.3f s, the mean of the medians before (%.3f: %s) and after (%.3f:"
                        + " %s)%n",
                idle, median(before, true), list(before), median(after, true), list(after));
        System.out.printf("saturated: %.3f s median (%s)%n", high, list(loaded));
        System.out.printf(
                "ratio saturated/idle: %.2f (against idle before %.2f, after %.2f)   [target: at"
                        + " most 2]%n",
                high / idle, high / median(before, true), high / median(after, true));
        System.out.printf(
                "server createdAt to updatedAt: saturated %.3f s / idle %.3f s = %.2f%n",
                highServer, idleServer, highServer / idleServer);
        if (phases != null) {
            List<Measured> idleAll = new ArrayList<>(before);
            idleAll.addAll(after);
            System.out.printf("median phases, idle:      %s%n", medianPhases(idleAll));
            System.out.printf("median phases, saturated: %s%n", medianPhases(loaded));
        }
        System.out.printf(
                "backlog throughput: %.2f jobs/s, %.0f frames/s (%.0f frames/s counting the %d"
                        + " probe jobs run inside it)%n",
                backlogJobs / saturated.wallS(),
                frames / saturated.wallS(),
                (frames + loaded.size() * HIGH_FRAMES) / saturated.wallS(),
                loaded.size());
        double requestMs =
                Stream.of(before, loaded, after)
                        .flatMap(List::stream)
                        .mapToDouble(m -> m.sample().meanRequestMs())
                        .average()
                        .orElse(Double.NaN);
        System.out.printf(
                "status requests took %.1f ms on average; times are late by at most %d ms plus"
                        + " that%n",
                requestMs, pollMs);
    }

    private long backlogFrames() {
        return (long) backlogSeconds * FPS;
    }

    private static double median(List<Measured> samples, boolean client) {
        return Bench.median(
                samples.stream()
                        .mapToDouble(m -> client ? m.sample().clientS() : m.sample().serverS())
                        .toArray());
    }

    /** Each phase's median on its own: the medians need not add up to the median total. */
    private static JobPhases.Phases medianPhases(List<Measured> samples) {
        List<JobPhases.Phases> all = samples.stream().map(Measured::phases).toList();
        return new JobPhases.Phases(
                Bench.median(all.stream().mapToDouble(JobPhases.Phases::toPlanS).toArray()),
                Bench.median(all.stream().mapToDouble(JobPhases.Phases::planS).toArray()),
                Bench.median(all.stream().mapToDouble(JobPhases.Phases::toDecodeS).toArray()),
                Bench.median(all.stream().mapToDouble(JobPhases.Phases::decodeS).toArray()),
                Bench.median(all.stream().mapToDouble(JobPhases.Phases::reportS).toArray()));
    }

    private static String list(List<Measured> samples) {
        return String.join(
                ", ",
                samples.stream().map(m -> String.format("%.3f", m.sample().clientS())).toList());
    }

    /** One timed probe job and, for an in-process stack, where its time went. */
    private record Measured(LatencyProbe.Sample sample, JobPhases.Phases phases) {
        @Override
        public String toString() {
            return String.format(
                    "%.3f s (server %.3f s, upload %.3f s)%s",
                    sample.clientS(),
                    sample.serverS(),
                    sample.submitS(),
                    phases == null ? "" : "; " + phases);
        }
    }

    /** The saturated measurements and the backlog's wall time, first submission to last end. */
    private record Saturated(List<Measured> samples, double wallS) {}
}
