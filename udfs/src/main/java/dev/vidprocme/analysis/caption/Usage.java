package dev.vidprocme.analysis.caption;

/** A job's caption spending so far: what its budget starts from after a restart. */
public record Usage(long inputTokens, long outputTokens, double costUsd, long frames) {
    public static final Usage NONE = new Usage(0, 0, 0, 0);

    public long tokens() {
        return inputTokens + outputTokens;
    }
}
