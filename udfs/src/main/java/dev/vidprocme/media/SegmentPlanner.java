package dev.vidprocme.media;

import dev.vidprocme.records.FrameMode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.SegmentTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a probed video into segments of about {@code targetUs} that start at keyframes, so that
 * one long video spreads over every decode slot, and gives each segment the frame and sample
 * indices it owns. Indices depend only on the video, never on where the cuts fall, so a different
 * segment length yields the same frames under the same keys.
 */
public final class SegmentPlanner {
    /**
     * In {@code frames.mode} scenes, the most frames a job keeps when {@code maxFrames} is unset.
     */
    public static final int DEFAULT_SCENE_FRAMES = 50;

    private SegmentPlanner() {}

    public static List<SegmentTask> plan(JobRequest request, ProbeResult probe, long targetUs) {
        long[] cuts = cuts(probe, targetUs);
        FrameSpec frames = request.spec().frames();
        long frameUs = probe.frameDurationUs();
        long[] sceneShares = sceneShares(frames, cuts, probe);
        List<SegmentTask> tasks = new ArrayList<>(cuts.length);
        for (int i = 0; i < cuts.length; i++) {
            long start = cuts[i];
            boolean last = i == cuts.length - 1;
            long end = last ? Long.MAX_VALUE : cuts[i + 1];
            long firstFrame = countBefore(probe.framePtsUs(), start);
            long expected = countBefore(probe.framePtsUs(), end) - firstFrame;
            tasks.add(
                    new SegmentTask(
                            request.jobId(),
                            i,
                            cuts.length,
                            request.inputUri(),
                            probe.originUs(),
                            frameUs,
                            start,
                            end,
                            firstFrame,
                            firstSample(frames, start, frameUs),
                            expected,
                            last,
                            sceneShares == null ? frames : withShare(frames, sceneShares[i]),
                            probe.video().rotation(),
                            request.spec().priority(),
                            request.submittedAtMs()));
        }
        return tasks;
    }

    /**
     * In scenes mode, how many of the job's {@code maxFrames} each segment may keep, in proportion
     * to its duration (largest remainders first, so the shares add up to the cap exactly); null in
     * other modes. A segment's share travels as the {@code maxFrames} of its task's frame spec.
     */
    static long[] sceneShares(FrameSpec frames, long[] cuts, ProbeResult probe) {
        if (frames.mode() != FrameMode.SCENES) {
            return null;
        }
        long cap = frames.maxFrames() == null ? DEFAULT_SCENE_FRAMES : frames.maxFrames();
        long[] pts = probe.framePtsUs();
        long end = pts[pts.length - 1] + probe.frameDurationUs();
        double[] exact = new double[cuts.length];
        long[] shares = new long[cuts.length];
        long given = 0;
        for (int i = 0; i < cuts.length; i++) {
            long segmentEnd = i == cuts.length - 1 ? end : cuts[i + 1];
            exact[i] = cap * (double) (segmentEnd - cuts[i]) / Math.max(1, end);
            shares[i] = (long) Math.floor(exact[i]);
            given += shares[i];
        }
        Integer[] order = new Integer[cuts.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> {
                    int byRemainder = Double.compare(exact[b] - shares[b], exact[a] - shares[a]);
                    return byRemainder != 0 ? byRemainder : Integer.compare(a, b);
                });
        for (int k = 0; given < cap && k < order.length; k++, given++) {
            shares[order[k]]++;
        }
        return shares;
    }

    private static FrameSpec withShare(FrameSpec frames, long share) {
        return new FrameSpec(
                frames.fps(), frames.maxWidth(), frames.quality(), frames.mode(), (int) share);
    }

    /**
     * Segment start times: 0, then the first keyframe at least {@code targetUs} after the previous
     * cut.
     */
    static long[] cuts(ProbeResult probe, long targetUs) {
        if (!probe.exactSeek() || targetUs <= 0) {
            return new long[] {0};
        }
        long lastFrame = probe.framePtsUs()[probe.framePtsUs().length - 1];
        List<Long> cuts = new ArrayList<>();
        cuts.add(0L);
        for (long key : probe.keyframePtsUs()) {
            long previous = cuts.get(cuts.size() - 1);
            // Skip a cut that would leave a tail shorter than half a segment: it costs more than it
            // spreads.
            if (key - previous >= targetUs && lastFrame - key >= targetUs / 2) {
                cuts.add(key);
            }
        }
        return cuts.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The sample grid for {@code frames.fps}: sample k is due at {@code k / fps} seconds and is
     * taken from the first frame whose time plus half a frame reaches it. A segment owns the
     * samples due after its start minus half a frame, which is exactly the set its frames can
     * claim.
     */
    public static long firstSample(FrameSpec frames, long startUs, long frameUs) {
        if (frames.fps() == null || startUs == 0) {
            return 0;
        }
        double periodUs = 1_000_000 / frames.fps();
        long threshold = startUs - frameUs / 2;
        long k = (long) Math.floor(threshold / periodUs);
        while (sampleTimeUs(frames.fps(), k) <= threshold) {
            k++;
        }
        while (k > 0 && sampleTimeUs(frames.fps(), k - 1) > threshold) {
            k--;
        }
        return k;
    }

    /** When sample {@code k} is due, in microseconds from the first frame. */
    public static long sampleTimeUs(double fps, long k) {
        return Math.round(k * 1_000_000 / fps);
    }

    private static long countBefore(long[] sorted, long t) {
        int i = Arrays.binarySearch(sorted, t);
        if (i < 0) {
            return -(i + 1);
        }
        while (i > 0 && sorted[i - 1] == t) {
            i--;
        }
        return i;
    }
}
