package dev.vidprocme.analysis.caption;

import java.util.List;

/**
 * What captioning one frame produced; fields the spec did not ask for, and all of them when the
 * status is not {@link CaptionStatus#OK}, are null.
 *
 * @param frameIndex the frame's index in the job
 * @param status how it ended
 * @param caption a sentence describing the frame
 * @param tags short keywords
 * @param objects things visible in the frame
 * @param text text visible in the frame
 * @param model the model that was asked
 * @param promptHash sha256 of the prompt and the fields asked for, part of the cache key
 * @param inputTokens this frame's share of the prompt tokens this job paid for (0 when cached)
 * @param outputTokens this frame's share of the completion tokens this job paid for
 * @param cached true when the caption came from the cache, at no cost
 * @param error why the status is not OK; null when it is
 */
public record FrameCaption(
        long frameIndex,
        CaptionStatus status,
        String caption,
        List<String> tags,
        List<String> objects,
        String text,
        String model,
        String promptHash,
        long inputTokens,
        long outputTokens,
        boolean cached,
        String error) {

    static FrameCaption notCaptioned(
            long frameIndex, CaptionStatus status, String model, String promptHash, String error) {
        return new FrameCaption(
                frameIndex, status, null, null, null, null, model, promptHash, 0, 0, false, error);
    }
}
