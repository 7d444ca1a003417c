package dev.vidprocme.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.local.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Drives jobs through the ingest API the way the benchmarks do: many at once, then polling. */
final class Jobs {
    private Jobs() {}

    /**
     * Submits {@code count} uploads of {@code clip} with {@code spec} from {@code clients} threads,
     * as many users would; returns the ids in submission order.
     */
    static List<String> submit(ApiClient client, Path clip, String spec, int count, int clients)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<String>> submissions = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                submissions.add(pool.submit(() -> client.submit(clip, spec)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> submission : submissions) {
                ids.add(submission.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Polls every pending job until all have ended (COMPLETED, PARTIAL, FAILED or CANCELLED),
     * pausing {@code pollMs} between rounds as a polling client would; fails at the deadline.
     */
    static List<JsonNode> awaitTerminal(
            ApiClient client, List<String> ids, long pollMs, long deadlineNanos) throws Exception {
        List<String> pending = new ArrayList<>(ids);
        List<JsonNode> done = new ArrayList<>();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException(
                        pending.size() + " job(s) still not finished at the deadline");
            }
            for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                JsonNode job = client.job(it.next());
                if (ApiClient.isTerminal(job.path("status").asText())) {
                    done.add(job);
                    it.remove();
                }
            }
            if (!pending.isEmpty()) {
                Thread.sleep(pollMs);
            }
        }
        return done;
    }

    /** How many of {@code ids} have ended, read now (one request each). */
    static int countTerminal(ApiClient client, List<String> ids) throws Exception {
        int ended = 0;
        for (String id : ids) {
            if (ApiClient.isTerminal(client.job(id).path("status").asText())) {
                ended++;
            }
        }
        return ended;
    }

    /**
     * Fails unless the job COMPLETED with {@code frames} frames, so a benchmark never times work
     * that was not done.
     */
    static void requireCompleted(JsonNode job, long frames) {
        if (!job.path("status").asText().equals("COMPLETED")
                || job.path("frames").path("extracted").asLong() != frames) {
            throw new IllegalStateException(
                    "job did not complete with " + frames + " frames: " + job);
        }
    }

    static Instant createdAt(JsonNode job) {
        return Instant.parse(job.get("createdAt").asText());
    }

    static Instant updatedAt(JsonNode job) {
        return Instant.parse(job.get("updatedAt").asText());
    }

    /** The server's view of a finished job's latency: {@code createdAt} to {@code updatedAt}. */
    static double serverSeconds(JsonNode job) {
        return Duration.between(createdAt(job), updatedAt(job)).toNanos() / 1e9;
    }
}
