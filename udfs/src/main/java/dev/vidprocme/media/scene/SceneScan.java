package dev.vidprocme.media.scene;

import dev.vidprocme.media.FrameDecoder;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SegmentPlanner;
import dev.vidprocme.records.FrameMode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SceneSignals;
import dev.vidprocme.records.SceneTransition;
import dev.vidprocme.records.SegmentTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the transitions of a whole file the way the pipeline does: plan segments of about {@code
 * segmentUs}, decode each (keeping only keyframes, so little time goes to JPEG), assemble. For
 * tests, benchmarks and trying thresholds on a file by hand.
 */
public final class SceneScan {
    private SceneScan() {}

    public static List<SceneTransition> transitions(
            Path video, FrameDecoder decoder, long segmentUs) throws IOException, MediaException {
        ProbeResult probe = MediaProbe.probe(video);
        return SceneAssembler.transitions(signals(video, probe, decoder, segmentUs));
    }

    /** Every segment's signals, in order. */
    public static List<SceneSignals> signals(
            Path video, ProbeResult probe, FrameDecoder decoder, long segmentUs)
            throws IOException, MediaException {
        FrameSpec frames = new FrameSpec(null, 64, 50, FrameMode.KEYFRAMES, null);
        JobRequest request =
                new JobRequest(
                        "scan", video.toUri().toString(), new JobSpec(null, 5, frames, null), 0);
        List<SceneSignals> out = new ArrayList<>();
        for (SegmentTask task : SegmentPlanner.plan(request, probe, segmentUs)) {
            out.add(decoder.decode(video, task, (i, p, w, h, jpeg) -> {}, () -> false).scenes());
        }
        return out;
    }
}
