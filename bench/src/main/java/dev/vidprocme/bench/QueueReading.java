package dev.vidprocme.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.local.ApiClient;
import java.util.ArrayList;
import java.util.List;

/**
 * One reading of {@code GET /v1/queue}: units (plans and segments) waiting and running at each
 * priority, indexed 0..9. It is what a user sees of the queue, so the benchmark decides from it
 * when the system is idle or saturated.
 */
record QueueReading(long[] waiting, long[] running) {
    private static final int PRIORITIES = 10;

    static QueueReading read(ApiClient client) throws Exception {
        long[] waiting = new long[PRIORITIES];
        long[] running = new long[PRIORITIES];
        for (JsonNode bin : client.queue().path("bins")) {
            int priority = bin.path("priority").asInt();
            waiting[priority] = bin.path("waiting").asLong();
            running[priority] = bin.path("running").asLong();
        }
        return new QueueReading(waiting, running);
    }

    long waiting(int priority) {
        return waiting[priority];
    }

    long running(int priority) {
        return running[priority];
    }

    boolean idle() {
        for (int p = 0; p < PRIORITIES; p++) {
            if (waiting[p] > 0 || running[p] > 0) {
                return false;
            }
        }
        return true;
    }

    /** The non-empty bins, highest priority first: {@code "p9 0 waiting/1 running, ..."}. */
    @Override
    public String toString() {
        List<String> bins = new ArrayList<>();
        for (int p = PRIORITIES - 1; p >= 0; p--) {
            if (waiting[p] > 0 || running[p] > 0) {
                bins.add("p" + p + " " + waiting[p] + " waiting/" + running[p] + " running");
            }
        }
        return bins.isEmpty() ? "empty" : String.join(", ", bins);
    }
}
