package dev.vidprocme.functions;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines for work on a worker pool that cannot be trusted to return: a decode stuck in a
 * blocking read or a wedged codec. When a worker overruns, its unit is given up at once (the
 * caller's {@code onOverrun}), the worker is interrupted, and the pool gets one extra thread until
 * the stuck one comes back, so the other units keep their full capacity.
 */
final class Overruns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Overruns.class);

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;
    private final AtomicInteger stuck = new AtomicInteger();

    Overruns(ThreadPoolExecutor pool, String name) {
        this.pool = pool;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, name + "-watchdog");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Arms a deadline for the calling worker thread; time the unit spends paused for more urgent
     * work ({@code pausedNanos}) is added to it.
     */
    Alarm arm(Duration deadline, LongSupplier pausedNanos, Runnable onOverrun) {
        return new Alarm(Thread.currentThread(), deadline, pausedNanos, onOverrun);
    }

    /** How many workers are currently stuck past their deadline. */
    int stuck() {
        return stuck.get();
    }

    private void grow() {
        stuck.incrementAndGet();
        PoolSize.grow(pool);
    }

    private void shrink() {
        stuck.decrementAndGet();
        PoolSize.shrink(pool);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One armed deadline; {@link #close()} it when the work returns. */
    final class Alarm implements AutoCloseable {
        private final Thread worker;
        private final LongSupplier pausedNanos;
        private final Runnable onOverrun;
        private final AtomicBoolean fired = new AtomicBoolean();
        private volatile ScheduledFuture<?> future;
        private long credited;

        private Alarm(
                Thread worker, Duration deadline, LongSupplier pausedNanos, Runnable onOverrun) {
            this.worker = worker;
            this.pausedNanos = pausedNanos;
            this.onOverrun = onOverrun;
            this.future = timer.schedule(this::fire, deadline.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void fire() {
            long paused = pausedNanos.getAsLong();
            if (paused > credited) {
                // The unit was paused for more urgent work: its deadline moves by as much.
                long extension = paused - credited;
                credited = paused;
                future = timer.schedule(this::fire, extension, TimeUnit.NANOSECONDS);
                return;
            }
            if (!fired.compareAndSet(false, true)) {
                return;
            }
            LOG.warn("{} overran its deadline; giving its unit up", worker.getName());
            grow();
            onOverrun.run();
            worker.interrupt();
        }

        @Override
        public void close() {
            if (!fired.compareAndSet(false, true)) {
                // It fired: the worker came back, so the extra thread goes again.
                shrink();
                Thread.interrupted();
                return;
            }
            future.cancel(false);
        }
    }
}
