package dev.vidprocme.records;

/** Lifecycle of a job as users see it; COMPLETED and FAILED are terminal. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
