package dev.vidprocme.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.local.ApiClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Times one job from submission to its terminal status as a client sees it: it submits, then polls
 * the job every {@code pollMs}. The time is taken when the terminal answer arrives, so it is late
 * by at most one pause plus one request; {@link Sample#meanRequestMs} says how long a request took.
 */
final class LatencyProbe {
    private final ApiClient client;
    private final Path clip;
    private final String spec;
    private final long frames;
    private final long pollMs;
    private final Duration timeout;

    LatencyProbe(
            ApiClient client, Path clip, String spec, long frames, long pollMs, Duration timeout) {
        this.client = client;
        this.clip = clip;
        this.spec = spec;
        this.frames = frames;
        this.pollMs = pollMs;
        this.timeout = timeout;
    }

    /** Submits one job and waits for it; fails unless it COMPLETED with every frame. */
    Sample measure() throws Exception {
        long start = System.nanoTime();
        String id = client.submit(clip, spec);
        double submitS = Bench.seconds(System.nanoTime() - start);
        long deadline = start + timeout.toNanos();
        long requests = 0;
        long requestNanos = 0;
        while (true) {
            long sent = System.nanoTime();
            JsonNode job = client.job(id);
            long answered = System.nanoTime();
            requests++;
            requestNanos += answered - sent;
            if (ApiClient.isTerminal(job.path("status").asText())) {
                Jobs.requireCompleted(job, frames);
                return new Sample(
                        id,
                        Bench.seconds(answered - start),
                        Jobs.serverSeconds(job),
                        submitS,
                        requestNanos / 1e6 / requests);
            }
            if (answered > deadline) {
                throw new IllegalStateException("job " + id + " not finished within " + timeout);
            }
            Thread.sleep(pollMs);
        }
    }

    /**
     * One timed job.
     *
     * @param clientS from just before the upload to the answer that showed it ended
     * @param serverS the server's {@code createdAt} to {@code updatedAt}: without the upload and
     *     the polling granularity
     * @param submitS how long the upload took
     * @param meanRequestMs the mean status request's round trip
     */
    record Sample(
            String id, double clientS, double serverS, double submitS, double meanRequestMs) {}
}
