package dev.vidprocme.media.transcode;

/**
 * A written output that does not match what was asked (too short, wrong codec, unreadable): the job
 * must not complete with it. Retried like any transcode failure, then dead-lettered.
 */
public final class VerificationException extends TranscodeException {
    public VerificationException(String message) {
        super(message);
    }
}
