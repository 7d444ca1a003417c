package dev.vidprocme.functions;

import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.TranscodeTask;
import dev.vidprocme.records.VideoInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a job's renditions into parts along the decode segments, which start at the input's
 * keyframes: each part seeks straight to its keyframe, and the parts of one long video spread over
 * every transcoding slot as its segments spread over the decoders. The thumbnails are one more
 * unit. Each rendition's finishing unit is made later, once its parts are in ({@link
 * CollectParts}).
 */
public final class TranscodePlanner {
    private TranscodePlanner() {}

    public static List<TranscodeTask> plan(
            JobRequest request, VideoInfo video, List<SegmentTask> segments) {
        JobSpec spec = request.spec();
        List<TranscodeTask> tasks = new ArrayList<>();
        if (segments.isEmpty()) {
            return tasks;
        }
        long originUs = segments.get(0).originUs();
        for (int i = 0; i < spec.outputs().size(); i++) {
            OutputSpec output = spec.outputs().get(i);
            for (SegmentTask segment : segments) {
                tasks.add(
                        new TranscodeTask(
                                request.jobId(),
                                request.inputUri(),
                                output.name(),
                                i,
                                output,
                                null,
                                segment.segmentIndex(),
                                segments.size(),
                                segment.startUs(),
                                segment.endUs(),
                                segment.lastSegment(),
                                originUs,
                                video,
                                spec.priority(),
                                request.submittedAtMs()));
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
                            video.durationMs() * 1000,
                            true,
                            originUs,
                            video,
                            spec.priority(),
                            request.submittedAtMs()));
        }
        return tasks;
    }
}
