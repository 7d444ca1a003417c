package dev.vidprocme.media.transcode;

/**
 * An encode, join or packaging step that failed; worth retrying (a crash, a full disk) and
 * dead-lettering when it persists. The message carries the end of FFmpeg's error output.
 */
public class TranscodeException extends Exception {
    public TranscodeException(String message) {
        super(message);
    }

    public TranscodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
