package dev.vidprocme.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.local.ApiClient;
import dev.vidprocme.local.LocalOptions;
import dev.vidprocme.local.LocalStack;
import dev.vidprocme.media.SyntheticClips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** 100 concurrent jobs through a local stack's HTTP API, against ffmpeg two at a time. */
public final class ConcurrentJobsBenchmark {
    private static final int SECONDS = 5;
    private static final int FPS = 30;
    private static final int FRAMES = SECONDS * FPS;
    private static final String SPEC = "{\"frames\":{\"quality\":93}}"; // every frame, -q:v 4
    private static final int QSCALE = 4;

    private final Path clip;
    private final Path work;
    private final Map<String, String> options;
    private final int jobs;
    private final int clients;
    private final Duration timeout;
    private final long pollMs;

    private ConcurrentJobsBenchmark(Path clip, Path work, Map<String, String> options) {
        this.clip = clip;
        this.work = work;
        this.options = options;
        this.jobs = Bench.intOption(options, "jobs", 100);
        this.clients = Bench.intOption(options, "clients", 16);
        this.timeout = Duration.ofSeconds(Bench.intOption(options, "timeout-s", 600));
        this.pollMs = Bench.intOption(options, "poll-ms", 1000);
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            Map<String, String> options =
                    Bench.options(
                            args,
                            "jobs",
                            "clients",
                            "api",
                            "token",
                            "parallelism",
                            "warmup",
                            "baseline-concurrency",
                            "timeout-s",
                            "tmp",
                            "profile",
                            "poll-ms");
            if (options.containsKey("api") != options.containsKey("token")) {
                throw new IllegalArgumentException("--api and --token go together");
            }
            Path tmp = Path.of(options.getOrDefault("tmp", System.getProperty("java.io.tmpdir")));
            Path work =
                    Files.createTempDirectory(Files.createDirectories(tmp), "vidproc-jobs-bench-");
            try {
                Path clip =
                        SyntheticClips.testPattern(
                                work.resolve("clip.mp4"), SECONDS, FPS, 640, 360);
                new ConcurrentJobsBenchmark(clip, work, options).run();
            } finally {
                Bench.deleteTree(work);
            }
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code); // Flink and Kafka leave non-daemon threads behind.
    }

    private void run() throws Exception {
        int concurrency = Bench.intOption(options, "baseline-concurrency", 2);
        System.out.printf(
                "%d jobs of a %d s 640x360 %d fps clip (%d frames each, every frame, quality 93 ="
                        + " -q:v %d); %d cores, load average %.1f%n",
                jobs,
                SECONDS,
                FPS,
                FRAMES,
                QSCALE,
                Runtime.getRuntime().availableProcessors(),
                Bench.loadAverage());
        FfmpegCli.extract(clip, work.resolve("warm-up"), QSCALE);
        Bench.deleteTree(work.resolve("warm-up"));
        Timed before = baseline(concurrency);
        System.out.printf(
                "baseline before: %.2f s (ffmpeg, %d at a time)%n", before.wallS(), concurrency);
        Batch batch = options.containsKey("api") ? remoteStack() : localStack();
        Timed after = baseline(concurrency);
        System.out.printf("baseline after:  %.2f s%n", after.wallS());
        report(batch, before, after);
    }

    /** The measured batch against the stack named by --api and --token. */
    private Batch remoteStack() throws Exception {
        return measure(new ApiClient(options.get("api"), options.get("token")));
    }

    /** The measured batch against a stack started here, as {@code ./vidproc local} starts it. */
    private Batch localStack() throws Exception {
        LocalOptions defaults = LocalOptions.defaults(work.resolve("data"));
        int parallelism = Bench.intOption(options, "parallelism", defaults.parallelism());
        LocalOptions local =
                new LocalOptions(
                        defaults.dataDir(),
                        0,
                        0,
                        LocalOptions.DEFAULT_METRICS_PORT,
                        List.of(),
                        parallelism);
        System.out.printf("starting a local stack (Flink parallelism %d) ...%n", parallelism);
        try (LocalStack stack = LocalStack.start(local)) {
            return measure(new ApiClient(stack.apiUrl(), stack.apiToken()));
        }
    }

    /** A small warm-up batch, then the measured one. */
    private Batch measure(ApiClient client) throws Exception {
        int warmup = Bench.intOption(options, "warmup", 4);
        if (warmup > 0) {
            System.out.printf(
                    "warm-up: %d job(s) in %.2f s%n", warmup, batch(client, warmup, false).wallS());
        }
        System.out.printf("submitting %d jobs from %d client threads ...%n", jobs, clients);
        return batch(client, jobs, Boolean.parseBoolean(options.get("profile")));
    }

    private void report(Batch batch, Timed before, Timed after) {
        long frames = (long) jobs * FRAMES;
        double baselineS = (before.wallS() + after.wallS()) / 2;
        double[] latencies = batch.latenciesS();
        System.out.printf(
                "%npipeline: %d jobs COMPLETED with %d frames each; wall %.2f s (first submission"
                        + " to last completion), submitting took %.2f s%n",
                jobs, FRAMES, batch.wallS(), batch.submitS());
        System.out.printf(
                "          per-job latency (server createdAt to updatedAt) p50 %.2f s, p95 %.2f s,"
                        + " max %.2f s; %.0f frames/s overall%n",
                Bench.percentile(latencies, 50),
                Bench.percentile(latencies, 95),
                Bench.max(latencies),
                frames / batch.wallS());
        System.out.printf(
                "baseline: %.2f s (mean of %.2f before and %.2f after), %.0f frames/s%n",
                baselineS, before.wallS(), after.wallS(), frames / baselineS);
        System.out.printf(
                "ratio pipeline/baseline wall time: %.2f   [targets: wall < 60 s, ratio <= 1.5]%n",
                batch.wallS() / baselineS);
        if (!options.containsKey("api")) {
            double baselineCpu = (before.cpuS() + after.cpuS()) / 2;
            System.out.printf(
                    "CPU: pipeline %.2f ms/frame (the whole stack, PostgreSQL and this client),"
                            + " baseline %.2f ms/frame; ratio %.2f%n",
                    batch.cpuS() * 1000 / frames,
                    baselineCpu * 1000 / frames,
                    batch.cpuS() / baselineCpu);
        }
    }

    /** The same extractions with the ffmpeg command line, {@code concurrency} at a time. */
    private Timed baseline(int concurrency) throws Exception {
        Path root = work.resolve("baseline");
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        try {
            List<Future<Bench.FolderStats>> runs = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                Path out = root.resolve("job-" + i);
                runs.add(pool.submit(() -> FfmpegCli.extract(clip, out, QSCALE)));
            }
            for (Future<Bench.FolderStats> run : runs) {
                if (run.get().files() != FRAMES) {
                    throw new IllegalStateException(
                            "ffmpeg wrote " + run.get().files() + " frames, not " + FRAMES);
                }
            }
        } finally {
            pool.shutdown();
        }
        Timed timed = new Timed(Bench.seconds(System.nanoTime() - start), Bench.cpuSeconds() - cpu);
        Bench.deleteTree(root);
        return timed;
    }

    /**
     * Submits {@code count} jobs at once, waits until all are terminal and checks every one
     * completed.
     */
    private Batch batch(ApiClient client, int count, boolean profiled) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        ThreadProfile profile = profiled ? ThreadProfile.start() : null;
        double cpu = Bench.cpuSeconds();
        Instant first = Instant.now();
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        try {
            List<Future<String>> submissions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                submissions.add(pool.submit(() -> client.submit(clip, SPEC)));
            }
            for (Future<String> submission : submissions) {
                ids.add(submission.get());
            }
        } finally {
            pool.shutdown();
        }
        double submitS = Bench.seconds(System.nanoTime() - start);
        List<JsonNode> done = awaitTerminal(client, ids, System.nanoTime() + timeout.toNanos());
        cpu = Bench.cpuSeconds() - cpu;
        if (profile != null) {
            System.out.println("CPU by thread group during the batch:");
            profile.report(14).forEach(line -> System.out.println("  " + line));
        }
        double[] latencies = new double[done.size()];
        Instant last = first;
        for (int i = 0; i < done.size(); i++) {
            JsonNode job = done.get(i);
            if (!job.path("status").asText().equals("COMPLETED")
                    || job.path("frames").path("extracted").asLong() != FRAMES) {
                throw new IllegalStateException(
                        "job did not complete with " + FRAMES + " frames: " + job);
            }
            Instant created = Instant.parse(job.get("createdAt").asText());
            Instant updated = Instant.parse(job.get("updatedAt").asText());
            latencies[i] = Duration.between(created, updated).toNanos() / 1e9;
            last = updated.isAfter(last) ? updated : last;
        }
        return new Batch(Duration.between(first, last).toNanos() / 1e9, submitS, latencies, cpu);
    }

    /** Polls every pending job until all are COMPLETED or FAILED, failing at the deadline. */
    private List<JsonNode> awaitTerminal(ApiClient client, List<String> ids, long deadlineNanos)
            throws Exception {
        List<String> pending = new ArrayList<>(ids);
        List<JsonNode> done = new ArrayList<>();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(
                        pending.size() + " job(s) still not finished at the deadline");
            }
            for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                JsonNode job = client.job(it.next());
                String status = job.path("status").asText();
                if (status.equals("COMPLETED") || status.equals("FAILED")) {
                    done.add(job);
                    it.remove();
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(pollMs); // a polling client's pause between rounds
            }
        }
        return done;
    }

    /** Wall and CPU seconds of one baseline run. */
    private record Timed(double wallS, double cpuS) {}

    /** A batch: wall s (server clock), submit s, latencies, CPU s of this process tree. */
    private record Batch(double wallS, double submitS, double[] latenciesS, double cpuS) {}
}
