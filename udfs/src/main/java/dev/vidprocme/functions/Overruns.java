package dev.vidprocme.functions;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Arms a deadline for the calling worker thread. */
    Alarm arm(Duration deadline, Runnable onOverrun) {
        return new Alarm(Thread.currentThread(), deadline, onOverrun);
    }

    /** How many workers are currently stuck past their deadline. */
    int stuck() {
        return stuck.get();
    }

    private synchronized void grow() {
        stuck.incrementAndGet();
        pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
        pool.setCorePoolSize(pool.getCorePoolSize() + 1);
    }

    private synchronized void shrink() {
        stuck.decrementAndGet();
        pool.setCorePoolSize(pool.getCorePoolSize() - 1);
        pool.setMaximumPoolSize(pool.getMaximumPoolSize() - 1);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One armed deadline; {@link #close()} it when the work returns. */
    final class Alarm implements AutoCloseable {
        private final Thread worker;
        private final AtomicBoolean fired = new AtomicBoolean();
        private final ScheduledFuture<?> future;

        private Alarm(Thread worker, Duration deadline, Runnable onOverrun) {
            this.worker = worker;
            this.future =
                    timer.schedule(
                            () -> fire(onOverrun), deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void fire(Runnable onOverrun) {
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
