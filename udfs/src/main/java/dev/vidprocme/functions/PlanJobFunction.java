package dev.vidprocme.functions;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobStores;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SegmentPlanner;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.PlanOutput;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.spec.JobSpecParser;
import dev.vidprocme.spec.SpecException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a job's input and splits it into segments. Runs off the task thread (probing reads the
 * whole packet index), and turns every kind of bad input into a failed {@link JobPlan} with its own
 * code, so one bad video never fails the Flink job.
 */
public final class PlanJobFunction extends RichAsyncFunction<JobRequest, PlanOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(PlanJobFunction.class);

    private final StageSettings settings;
    private transient BlobStore blobs;
    private transient ExecutorService workers;
    private transient Counter plansFailed;

    public PlanJobFunction(StageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        blobs = BlobStores.open(settings.blobStoreUri());
        workers = Workers.fifo("plan", settings.planWorkers());
        plansFailed = getRuntimeContext().getMetricGroup().counter("plansFailed");
    }

    @Override
    public void asyncInvoke(JobRequest request, ResultFuture<PlanOutput> result) {
        workers.execute(() -> Completions.complete(result, plan(request)));
    }

    @Override
    public void timeout(JobRequest request, ResultFuture<PlanOutput> result) {
        plansFailed.inc();
        result.complete(
                List.of(
                        PlanOutput.of(
                                JobPlan.failed(
                                        request.jobId(),
                                        FailureCode.DEADLINE_EXCEEDED,
                                        "probing the input took longer than the planning deadline",
                                        request.submittedAtMs()))));
    }

    List<PlanOutput> plan(JobRequest request) {
        try {
            JobSpecParser.validate(request.spec());
            Path input = InputUris.resolve(request.inputUri(), blobs, settings.allowedInputPaths());
            ProbeResult probe = MediaProbe.probe(input);
            List<SegmentTask> segments =
                    SegmentPlanner.plan(request, probe, settings.segmentTarget().toNanos() / 1000);
            List<PlanOutput> out = new ArrayList<>(segments.size() + 1);
            out.add(
                    PlanOutput.of(
                            new JobPlan(
                                    request.jobId(),
                                    probe.video(),
                                    segments.size(),
                                    expectedFrames(request, probe),
                                    null,
                                    null,
                                    request.submittedAtMs())));
            segments.forEach(s -> out.add(PlanOutput.of(s)));
            LOG.info(
                    "job {}: {} {}x{} {} frames, {} segment(s)",
                    request.jobId(),
                    probe.video().codec(),
                    probe.video().width(),
                    probe.video().height(),
                    probe.video().frameCount(),
                    segments.size());
            return out;
        } catch (MediaException e) {
            return failed(request, e.code(), e.getMessage());
        } catch (InputNotAllowedException e) {
            return failed(request, FailureCode.INPUT_NOT_ALLOWED, e.getMessage());
        } catch (NoSuchFileException e) {
            return failed(
                    request, FailureCode.INPUT_NOT_FOUND, "the input does not exist any more");
        } catch (SpecException e) {
            return failed(
                    request,
                    FailureCode.INTERNAL,
                    "invalid spec in the job event: " + e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.error("job {}: planning failed unexpectedly", request.jobId(), e);
            return failed(request, FailureCode.INTERNAL, "planning failed: " + e);
        }
    }

    private List<PlanOutput> failed(JobRequest request, FailureCode code, String message) {
        plansFailed.inc();
        LOG.info("job {}: cannot run ({}): {}", request.jobId(), code.wireName(), message);
        return List.of(
                PlanOutput.of(
                        JobPlan.failed(request.jobId(), code, message, request.submittedAtMs())));
    }

    /**
     * Frames the job will produce: every frame, or the samples of the fps grid that frames can
     * claim.
     */
    static long expectedFrames(JobRequest request, ProbeResult probe) {
        Double fps = request.spec().frames().fps();
        if (fps == null) {
            return probe.video().frameCount();
        }
        long[] pts = probe.framePtsUs();
        long last = pts[pts.length - 1] + probe.frameDurationUs() / 2;
        long k = 0;
        while (SegmentPlanner.sampleTimeUs(fps, k) <= last) {
            k++;
        }
        return k;
    }

    @Override
    public void close() throws Exception {
        Completions.stop(workers);
        if (blobs != null) {
            blobs.close();
        }
    }
}
