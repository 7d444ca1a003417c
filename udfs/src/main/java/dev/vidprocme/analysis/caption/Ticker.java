package dev.vidprocme.analysis.caption;

/** A monotonic nanosecond clock, injectable so time-based behaviour is deterministic in tests. */
@FunctionalInterface
public interface Ticker {
    long nanos();

    static Ticker system() {
        return System::nanoTime;
    }
}
