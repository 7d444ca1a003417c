package dev.vidprocme.analysis;

/** The OCR models could not be loaded or failed to run on a frame. */
public final class OcrException extends Exception {
    public OcrException(String message, Throwable cause) {
        super(message, cause);
    }
}
