package dev.vidprocme.functions;

import dev.vidprocme.io.db.FrameRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses a segment's analysis frames among the frames it kept: the first frame of the segment and
 * of every scene that starts in it, plus one whenever {@code intervalMs} has passed since the last
 * one, so a long scene is looked at every interval and a short one at least once. Analysers (text,
 * statistics, captions) run on these, not on every extracted frame.
 */
public final class AnalysisFrames {
    private AnalysisFrames() {}

    /**
     * @param frames the segment's kept frames, in any order
     * @param cutsMs start times of the scenes that begin inside the segment
     * @param intervalMs the longest stretch without an analysis frame
     */
    public static List<FrameRow> pick(List<FrameRow> frames, List<Long> cutsMs, long intervalMs) {
        List<FrameRow> sorted = new ArrayList<>(frames);
        sorted.sort(Comparator.comparingLong(FrameRow::ptsMs));
        List<Long> cuts = new ArrayList<>(cutsMs);
        cuts.sort(Long::compare);
        List<FrameRow> picked = new ArrayList<>();
        long last = Long.MIN_VALUE;
        int nextCut = 0;
        for (FrameRow frame : sorted) {
            boolean sceneStarted = false;
            while (nextCut < cuts.size() && cuts.get(nextCut) <= frame.ptsMs()) {
                sceneStarted |= cuts.get(nextCut) > last;
                nextCut++;
            }
            if (picked.isEmpty() || sceneStarted || frame.ptsMs() - last >= intervalMs) {
                picked.add(frame);
                last = frame.ptsMs();
            }
        }
        return picked;
    }
}
