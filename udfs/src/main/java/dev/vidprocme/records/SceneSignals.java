package dev.vidprocme.records;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What scene detection learned from one segment, small enough to ride on its {@link SegmentResult}:
 * the transitions decided inside the segment, plus the context that lets the job decide what only
 * neighbouring segments together can see, a cut at or near their boundary. That context is the
 * thumbnails of the segment's first and last frames and the frame differences (and times) of its
 * first and last few frames; nothing grows with the segment's length.
 *
 * @param firstFrame source frame number of the segment's first frame
 * @param frameCount how many frames the detector saw
 * @param transitions decided inside the segment, in frame order
 * @param headThumb thumbnail of the first frame; {@code tailThumb} of the last
 * @param headPtsUs times of the first frames (positions 0..), {@code tailPtsUs} of the last frames
 *     (ending at position {@code frameCount - 1})
 * @param headDiffs difference of each of the first frames to the one before it; entry 0 (whose
 *     predecessor lies in the previous segment) is unused. {@code tailDiffs} likewise for the last
 *     frames
 * @param headFlat whether the first frame is flat (black or one colour); {@code tailFlat} the last
 */
public record SceneSignals(
        int segmentIndex,
        long firstFrame,
        long frameCount,
        List<SceneTransition> transitions,
        byte[] headThumb,
        byte[] tailThumb,
        long[] headPtsUs,
        long[] tailPtsUs,
        double[] headDiffs,
        double[] tailDiffs,
        boolean headFlat,
        boolean tailFlat) {

    public SceneSignals {
        transitions = transitions == null ? List.of() : List.copyOf(transitions);
    }

    /** Source frame number of the segment's last frame. */
    public long lastFrame() {
        return firstFrame + frameCount - 1;
    }

    // Records compare arrays by reference; signals that say the same thing are equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof SceneSignals s
                && segmentIndex == s.segmentIndex
                && firstFrame == s.firstFrame
                && frameCount == s.frameCount
                && headFlat == s.headFlat
                && tailFlat == s.tailFlat
                && transitions.equals(s.transitions)
                && Arrays.equals(headThumb, s.headThumb)
                && Arrays.equals(tailThumb, s.tailThumb)
                && Arrays.equals(headPtsUs, s.headPtsUs)
                && Arrays.equals(tailPtsUs, s.tailPtsUs)
                && Arrays.equals(headDiffs, s.headDiffs)
                && Arrays.equals(tailDiffs, s.tailDiffs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(segmentIndex, firstFrame, frameCount, transitions)
                + 31 * Arrays.hashCode(headThumb)
                + 17 * Arrays.hashCode(tailThumb);
    }

    @Override
    public String toString() {
        return "SceneSignals[segment="
                + segmentIndex
                + ", frames "
                + firstFrame
                + ".."
                + lastFrame()
                + ", transitions="
                + transitions
                + "]";
    }
}
