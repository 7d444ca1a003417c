package dev.vidprocme.functions;

import java.util.concurrent.ThreadPoolExecutor;

/**
 * Temporary extra threads for a worker pool: one replaces a worker stuck past its deadline ({@link
 * Overruns}), one lets an urgent unit start without waiting for a worker to come free. Both grow
 * and shrink the same pool, so the changes go through here, one at a time.
 */
final class PoolSize {
    private PoolSize() {}

    static void grow(ThreadPoolExecutor pool) {
        synchronized (pool) {
            pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
            pool.setCorePoolSize(pool.getCorePoolSize() + 1);
        }
    }

    static void shrink(ThreadPoolExecutor pool) {
        synchronized (pool) {
            pool.setCorePoolSize(pool.getCorePoolSize() - 1);
            pool.setMaximumPoolSize(pool.getMaximumPoolSize() - 1);
        }
    }
}
