package dev.vidprocme.records;

/**
 * Why a job failed, one code per cause a user would act on differently; wire names are lower snake
 * case.
 */
public enum FailureCode {
    /** The input has zero bytes. */
    EMPTY_INPUT,
    /**
     * An MP4/MOV whose index (moov atom) is missing, typically an interrupted upload or recording.
     */
    MP4_MISSING_MOOV,
    /** The bytes are not a media container FFmpeg is allowed to read. */
    UNRECOGNIZED_FORMAT,
    /** The container holds no video stream (e.g. audio only). */
    NO_VIDEO_STREAM,
    /** The input the job names does not exist (any more). */
    INPUT_NOT_FOUND,
    /** The input URI is outside what this deployment may read. */
    INPUT_NOT_ALLOWED,
    /** The container opened but could not be probed. */
    PROBE_FAILED,
    /** No frame of the video stream could be decoded. */
    DECODE_FAILED,
    /** A segment did not finish within the configured deadline. */
    DEADLINE_EXCEEDED,
    /** Frames could not be written to the blob store or the database. */
    STORAGE_FAILED,
    /** A bug or an unexpected condition; the message carries the detail. */
    INTERNAL,
    /** FFmpeg failed to encode, join or package a rendition or the thumbnails. */
    TRANSCODE_FAILED,
    /** A written rendition did not probe as asked (duration, codec, size, frames). */
    VERIFICATION_FAILED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether the input itself can never work, so the job fails at once: retrying or replaying
     * could not help, and a dead letter would only be noise. Every other failure is retried and,
     * when it persists, dead-lettered.
     */
    public boolean rejectsInput() {
        return switch (this) {
            case EMPTY_INPUT,
                    MP4_MISSING_MOOV,
                    UNRECOGNIZED_FORMAT,
                    NO_VIDEO_STREAM,
                    INPUT_NOT_FOUND,
                    INPUT_NOT_ALLOWED ->
                    true;
            default -> false;
        };
    }
}
