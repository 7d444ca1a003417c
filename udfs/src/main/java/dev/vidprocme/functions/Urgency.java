package dev.vidprocme.functions;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Cooperative preemption of running work, so an urgent unit gets the machine and not only the next
 * free worker. Priority order alone decides which unit starts next; once a priority-9 segment runs
 * beside three priority-1 segments on two cores it still gets a quarter of the CPU. Here every
 * running unit registers its {@linkplain #score score}, and a unit pauses at its next safe point
 * (between packets) while a unit at least one effective priority point more urgent is running in
 * this JVM, then resumes where it stopped.
 *
 * <p>One table per JVM: the units that share a TaskManager share its cores, whichever subtask runs
 * them. Units within a point of each other never pause one another, so same-priority work shares
 * the machine as before, and aging applies here as in the queue: a unit that waited long enough is
 * no longer outranked by fresh urgent work and is not paused by it.
 *
 * <p>Only a unit that shows progress pauses others: each check between packets is a heartbeat, and
 * a unit silent for longer than the staleness window (stuck in a read, a wedged codec) stops
 * counting until it beats again. A hung urgent unit therefore holds the rest back for that window,
 * not for its whole deadline.
 */
final class Urgency {
    static final Urgency SHARED = new Urgency(TimeUnit.SECONDS.toNanos(1));

    /** How often a paused unit looks again whether it may go on or has to stop altogether. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long staleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final Set<Turn> running = new HashSet<>();
    // The highest running score, readable without the lock: the check between packets is cheap.
    private volatile double top = Double.NEGATIVE_INFINITY;

    /**
     * @param staleNanos how long a unit may go without a heartbeat and still pause others
     */
    Urgency(long staleNanos) {
        this.staleNanos = staleNanos;
    }

    /**
     * A unit's effective priority in points, less the time it has waited, which is the same for
     * every unit: differences of scores are differences of effective priorities at any instant.
     */
    static double score(int priority, long submittedAtMs, long agingMs) {
        return agingMs > 0 ? priority - (double) submittedAtMs / agingMs : priority;
    }

    /** Whether a unit with {@code score} would pause work that runs now. */
    boolean outranksRunning(double score) {
        lock.lock();
        try {
            return running.stream().anyMatch(t -> score >= t.score + 1);
        } finally {
            lock.unlock();
        }
    }

    /** Registers a running unit; close the result when it stops running. */
    Turn enter(double score) {
        lock.lock();
        try {
            Turn turn = new Turn(score);
            running.add(turn);
            top = Math.max(top, score);
            return turn;
        } finally {
            lock.unlock();
        }
    }

    /** One running unit's place in the table. */
    final class Turn implements AutoCloseable {
        private final double score;
        private volatile long lastBeat = System.nanoTime();
        private volatile long pausedNanos;

        private Turn(double score) {
            this.score = score;
        }

        /**
         * Beats, then pauses while a more urgent unit that is making progress runs.
         *
         * @param stop checked every 100 ms while paused; when it turns true the pause ends
         * @return false when interrupted while paused (the interrupt flag is set again)
         */
        boolean yieldIfOutranked(BooleanSupplier stop) {
            lastBeat = System.nanoTime();
            if (top < score + 1) {
                return true;
            }
            lock.lock();
            try {
                if (!outranked()) {
                    return true;
                }
                long start = System.nanoTime();
                try {
                    while (outranked() && !stop.getAsBoolean()) {
                        changed.awaitNanos(RECHECK_NANOS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } finally {
                    long now = System.nanoTime();
                    pausedNanos += now - start;
                    // Paused is not stuck: a paused unit that becomes the most urgent must count.
                    lastBeat = now;
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Total time this unit has spent paused; deadlines do not count it. */
        long pausedNanos() {
            return pausedNanos;
        }

        private boolean outranked() {
            long now = System.nanoTime();
            return running.stream()
                    .anyMatch(t -> t.score >= score + 1 && now - t.lastBeat < staleNanos);
        }

        @Override
        public void close() {
            lock.lock();
            try {
                running.remove(this);
                top =
                        running.stream()
                                .mapToDouble(t -> t.score)
                                .max()
                                .orElse(Double.NEGATIVE_INFINITY);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
