package dev.vidprocme.io.blob;

import java.io.IOException;

/** An upload exceeded the configured size limit; the partial object has been discarded. */
public final class BlobTooLargeException extends IOException {
    private final long limit;

    public BlobTooLargeException(long limit) {
        super("the upload exceeds the limit of " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
