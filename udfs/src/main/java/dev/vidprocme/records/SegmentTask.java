package dev.vidprocme.records;

/**
 * One unit of decode work: the frames of one job whose presentation time lies in [{@code startUs},
 * {@code endUs}), times relative to the first video frame.
 *
 * @param originUs absolute presentation time of the video's first frame (what relative times count
 *     from)
 * @param frameDurationUs nominal duration of one source frame
 * @param firstFrameIndex index of the first frame of the segment (every-frame mode)
 * @param firstSampleIndex index of the first sample the segment owns (fps mode)
 * @param expectedFrames how many frames the packet index says lie in the range
 * @param lastSegment whether the segment runs to the end of the stream
 */
public record SegmentTask(
        String jobId,
        int segmentIndex,
        int segmentCount,
        String inputUri,
        long originUs,
        long frameDurationUs,
        long startUs,
        long endUs,
        long firstFrameIndex,
        long firstSampleIndex,
        long expectedFrames,
        boolean lastSegment,
        FrameSpec frames,
        int rotation,
        int priority,
        long submittedAtMs) {}
