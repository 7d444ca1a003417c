package dev.vidprocme.functions;

import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/** A unit of work ordered by priority (higher first), then submission time, then arrival. */
final class PrioritizedWork implements Runnable, Comparable<PrioritizedWork> {
    private static final AtomicLong ARRIVALS = new AtomicLong();
    private static final Comparator<PrioritizedWork> ORDER =
            Comparator.comparingInt((PrioritizedWork w) -> -w.priority)
                    .thenComparingLong(w -> w.submittedAtMs)
                    .thenComparingLong(w -> w.arrival);

    private final int priority;
    private final long submittedAtMs;
    private final long arrival = ARRIVALS.incrementAndGet();
    private final Runnable body;

    PrioritizedWork(int priority, long submittedAtMs, Runnable body) {
        this.priority = priority;
        this.submittedAtMs = submittedAtMs;
        this.body = body;
    }

    @Override
    public void run() {
        body.run();
    }

    @Override
    public int compareTo(PrioritizedWork other) {
        return ORDER.compare(this, other);
    }
}
