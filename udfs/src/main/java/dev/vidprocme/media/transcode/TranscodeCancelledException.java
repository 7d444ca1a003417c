package dev.vidprocme.media.transcode;

/** The stop signal fired while FFmpeg ran; the process was killed and nothing is to be retried. */
public final class TranscodeCancelledException extends TranscodeException {
    public TranscodeCancelledException(String message) {
        super(message);
    }
}
