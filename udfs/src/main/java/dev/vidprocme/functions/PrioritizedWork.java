package dev.vidprocme.functions;

import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A unit of work ordered by effective priority, then submission time, then arrival.
 *
 * <p>Waiting work ages: with an aging interval {@code A}, a unit's effective priority is {@code
 * priority + waited / A}. Every unit waiting at the same moment ages at the same rate, so the order
 * between two units never changes while they wait, and it reduces to one fixed rank per unit,
 * {@code submittedAt - priority * A}, smallest first. A priority point is worth {@code A} of
 * waiting: with the default 30 s, a priority-1 unit submitted four minutes before a priority-9 one
 * runs first, so a flood of high-priority work delays low-priority work by at most {@code 9 * A}
 * plus the work already ahead of it. An interval of zero turns aging off (strict priority).
 */
final class PrioritizedWork implements Runnable, Comparable<PrioritizedWork> {
    private static final AtomicLong ARRIVALS = new AtomicLong();
    private static final Comparator<PrioritizedWork> ORDER =
            Comparator.comparingInt((PrioritizedWork w) -> -w.strictPriority)
                    .thenComparingLong(w -> w.rank)
                    .thenComparingLong(w -> w.arrival);

    private final int strictPriority;
    private final long rank;
    private final long arrival = ARRIVALS.incrementAndGet();
    private final Runnable body;

    PrioritizedWork(int priority, long submittedAtMs, long agingMs, Runnable body) {
        this.strictPriority = agingMs > 0 ? 0 : priority;
        this.rank = agingMs > 0 ? submittedAtMs - priority * agingMs : submittedAtMs;
        this.body = body;
    }

    PrioritizedWork(int priority, long submittedAtMs, Runnable body) {
        this(priority, submittedAtMs, 0, body);
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
