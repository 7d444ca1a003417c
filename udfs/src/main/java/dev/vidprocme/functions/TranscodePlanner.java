package dev.vidprocme.functions;

import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.transcode.MediaStreams;
import dev.vidprocme.media.transcode.Part;
import dev.vidprocme.media.transcode.RenditionPlan;
import dev.vidprocme.media.transcode.StreamProbe;
import dev.vidprocme.media.transcode.TranscodeException;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.TranscodeTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a job's renditions into parts with {@link RenditionPlan}'s own cuts (about {@code
 * vidproc.transcode.part-target} long, on a keyframe where one is near), so the parts of one long
 * video spread over every transcoding slot; the thumbnails are one more unit. Each rendition's
 * finishing unit is made later, once its parts are in ({@link CollectParts}).
 *
 * <p>The plan is a pure function of the input and the target, so {@link TranscodeFunction} rebuilds
 * the same plan from the same input and checks each task's span against it.
 */
public final class TranscodePlanner {
    private TranscodePlanner() {}

    public static List<TranscodeTask> plan(
            JobRequest request, Path input, ProbeResult probe, long targetPartUs)
            throws TranscodeException {
        JobSpec spec = request.spec();
        List<TranscodeTask> tasks = new ArrayList<>();
        long originUs = probe.originUs();
        if (!spec.outputs().isEmpty()) {
            MediaStreams streams = StreamProbe.probe(input);
            for (int i = 0; i < spec.outputs().size(); i++) {
                OutputSpec output = spec.outputs().get(i);
                RenditionPlan plan = RenditionPlan.of(output, probe, streams, targetPartUs);
                for (Part part : plan.parts()) {
                    tasks.add(
                            new TranscodeTask(
                                    request.jobId(),
                                    request.inputUri(),
                                    output.name(),
                                    i,
                                    output,
                                    null,
                                    part.index(),
                                    part.count(),
                                    part.startUs(),
                                    part.endUs(),
                                    part.last(),
                                    originUs,
                                    probe.video(),
                                    spec.priority(),
                                    request.submittedAtMs()));
                }
            }
        }
        if (spec.wantsThumbnails()) {
            tasks.add(
                    new TranscodeTask(
                            request.jobId(),
                            request.inputUri(),
                            TranscodeResult.THUMBNAILS,
                            spec.outputs().size(),
                            null,
                            spec.thumbnails(),
                            TranscodeResult.FINAL,
                            0,
                            0,
                            probe.video().durationMs() * 1000,
                            true,
                            originUs,
                            probe.video(),
                            spec.priority(),
                            request.submittedAtMs()));
        }
        return tasks;
    }
}
