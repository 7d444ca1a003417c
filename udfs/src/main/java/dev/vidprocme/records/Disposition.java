package dev.vidprocme.records;

/**
 * What became of one attempt at a unit of work (planning a job, decoding a segment), which decides
 * where its result goes next.
 */
public enum Disposition {
    /** The unit did its work. */
    DONE,
    /**
     * The input can never work (empty, not a video, not allowed...): the job fails with the reason;
     * nothing is retried or dead-lettered, because no retry or replay could help.
     */
    REJECTED,
    /** A failure that may pass (storage away, a crash, a deadline): the unit runs again later. */
    RETRY,
    /** Every attempt failed: the unit goes to the dead-letter topic with its reason. */
    DEAD_LETTER,
    /** The job was cancelled or already ended: the unit was skipped and wrote nothing. */
    DROPPED;

    /** Whether the job is worse off for this unit: its results are missing. */
    public boolean lost() {
        return this == RETRY || this == DEAD_LETTER;
    }
}
