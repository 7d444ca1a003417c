package dev.vidprocme.media;

import dev.vidprocme.records.VideoInfo;

/**
 * A probed video plus its packet index: the presentation time of every video frame and of every
 * keyframe, in microseconds relative to the first frame, sorted. The index is what lets the planner
 * cut segments at keyframes and know, without decoding, which frame indices each segment owns.
 *
 * @param originUs absolute presentation time of the first frame, in microseconds
 * @param exactSeek whether the container seeks exactly to keyframes (indexed containers only)
 * @param corruptPackets packets the demuxer flagged as corrupt while indexing
 */
public record ProbeResult(
        VideoInfo video,
        long originUs,
        long[] framePtsUs,
        long[] keyframePtsUs,
        boolean exactSeek,
        long corruptPackets,
        String indexError) {

    /** Nominal duration of one frame in microseconds. */
    public long frameDurationUs() {
        double fps = video.fps() > 0 ? video.fps() : 25;
        return Math.round(1_000_000 / fps);
    }
}
