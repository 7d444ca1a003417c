package dev.vidprocme.analysis.caption;

/** How captioning one frame ended. */
public enum CaptionStatus {
    /** Captioned, by a call or from the cache. */
    OK,
    /** The endpoint failed or its replies stayed malformed after the retries; see the error. */
    FAILED,
    /** Not called: the job's token or cost budget was already reached. */
    SKIPPED_BUDGET,
    /** Not called: the endpoint's circuit breaker is open after repeated failures. */
    CIRCUIT_OPEN
}
