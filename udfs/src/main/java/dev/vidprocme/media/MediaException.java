package dev.vidprocme.media;

import dev.vidprocme.records.FailureCode;

/** A video that cannot be probed or decoded, with the code a user sees and a readable reason. */
public final class MediaException extends Exception {
    private final FailureCode code;

    public MediaException(FailureCode code, String message) {
        super(message);
        this.code = code;
    }

    public FailureCode code() {
        return code;
    }
}
