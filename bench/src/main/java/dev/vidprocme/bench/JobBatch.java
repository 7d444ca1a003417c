package dev.vidprocme.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.local.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The jobs benchmarks' workload: a batch of identical jobs submitted at once, awaited and checked,
 * timed from just before the first submission to the last completion the server recorded.
 */
final class JobBatch {
    private final ApiClient client;
    private final Path clip;
    private final String spec;
    private final long framesPerJob;
    private final int clients;
    private final long pollMs;
    private final Duration timeout;

    JobBatch(
            ApiClient client,
            Path clip,
            String spec,
            long framesPerJob,
            int clients,
            long pollMs,
            Duration timeout) {
        this.client = client;
        this.clip = clip;
        this.spec = spec;
        this.framesPerJob = framesPerJob;
        this.clients = clients;
        this.pollMs = pollMs;
        this.timeout = timeout;
    }

    /**
     * A small unmeasured batch first (a fresh JVM compiles the hot paths during the first jobs),
     * then the measured one.
     */
    Result warmThenMeasure(int warmup, int count, boolean profiled) throws Exception {
        if (warmup > 0) {
            System.out.printf("warm-up: %d job(s) in %.2f s%n", warmup, run(warmup, false).wallS());
        }
        System.out.printf("submitting %d jobs from %d client threads ...%n", count, clients);
        return run(count, profiled);
    }

    /** Submits {@code count} jobs at once, waits until all are terminal, checks each COMPLETED. */
    Result run(int count, boolean profiled) throws Exception {
        ThreadProfile profile = profiled ? ThreadProfile.start() : null;
        double cpu = Bench.cpuSeconds();
        Instant first = Instant.now();
        long start = System.nanoTime();
        List<String> ids = Jobs.submit(client, clip, spec, count, clients);
        double submitS = Bench.seconds(System.nanoTime() - start);
        List<JsonNode> done =
                Jobs.awaitTerminal(client, ids, pollMs, System.nanoTime() + timeout.toNanos());
        cpu = Bench.cpuSeconds() - cpu;
        if (profile != null) {
            System.out.println("CPU by thread group during the batch:");
            profile.report(14).forEach(line -> System.out.println("  " + line));
        }
        double[] latencies = new double[done.size()];
        Instant last = first;
        long analysed = 0;
        long withText = 0;
        int unanalysed = 0;
        for (int i = 0; i < done.size(); i++) {
            JsonNode job = done.get(i);
            Jobs.requireCompleted(job, framesPerJob);
            // What the API reports the analysers did, so a run with them off cannot pass for on.
            long frames = job.path("analysis").path("framesAnalysed").asLong(0);
            analysed += frames;
            withText += job.path("analysis").path("framesWithText").asLong(0);
            unanalysed += frames == 0 ? 1 : 0;
            latencies[i] = Jobs.serverSeconds(job);
            Instant updated = Jobs.updatedAt(job);
            last = updated.isAfter(last) ? updated : last;
        }
        return new Result(
                count,
                count * framesPerJob,
                Duration.between(first, last).toNanos() / 1e9,
                submitS,
                latencies,
                cpu,
                new Analysed(analysed, withText, unanalysed),
                ids);
    }

    /**
     * A measured batch.
     *
     * @param wallS first submission (client clock) to the last {@code updatedAt} (server clock; the
     *     same machine for an in-process stack)
     * @param submitS how long the submissions took
     * @param latenciesS per job, the server's {@code createdAt} to {@code updatedAt}
     * @param cpuS CPU seconds of this process tree meanwhile
     * @param analysed what the jobs' {@code analysis} summaries say the offline analysers did
     * @param ids the jobs' ids
     */
    record Result(
            int jobs,
            long frames,
            double wallS,
            double submitS,
            double[] latenciesS,
            double cpuS,
            Analysed analysed,
            List<String> ids) {
        double jobsPerS() {
            return jobs / wallS;
        }

        double framesPerS() {
            return frames / wallS;
        }
    }

    /**
     * The offline analysers' work over a batch, from each job's {@code analysis} summary.
     *
     * @param frames analysis frames read for text and statistics, all jobs together
     * @param framesWithText of those, frames where text was found
     * @param jobsWithout jobs whose summary shows no analysed frame
     */
    record Analysed(long frames, long framesWithText, int jobsWithout) {
        @Override
        public String toString() {
            return String.format(
                    "%d analysis frame(s) read for text and statistics, %d with text; %d job(s)"
                            + " without analysis",
                    frames, framesWithText, jobsWithout);
        }
    }
}
