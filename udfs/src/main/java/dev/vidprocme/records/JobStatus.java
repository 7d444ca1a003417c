package dev.vidprocme.records;

/**
 * Lifecycle of a job as users see it. COMPLETED, PARTIAL (some units dead-lettered, the spec
 * allowed partial results), FAILED and CANCELLED are terminal: nothing moves a job out of them.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    PARTIAL,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
