package dev.vidprocme.analysis.caption;

/** The caption cache or usage ledger could not be read or written. */
public class CaptionStoreException extends RuntimeException {
    public CaptionStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
