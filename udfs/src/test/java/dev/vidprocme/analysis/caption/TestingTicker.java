package dev.vidprocme.analysis.caption;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ticker tests move by hand: either alone ({@link #manual()}) or as the system clock plus an
 * offset ({@link #offsetFromSystem()}), which lets a test skip a cool-down while real network
 * timings still pass normally.
 */
final class TestingTicker implements Ticker {
    private final boolean followSystem;
    private final AtomicLong offset = new AtomicLong();

    private TestingTicker(boolean followSystem) {
        this.followSystem = followSystem;
    }

    static TestingTicker manual() {
        return new TestingTicker(false);
    }

    static TestingTicker offsetFromSystem() {
        return new TestingTicker(true);
    }

    void advance(Duration d) {
        offset.addAndGet(d.toNanos());
    }

    @Override
    public long nanos() {
        return (followSystem ? System.nanoTime() : 0) + offset.get();
    }
}
