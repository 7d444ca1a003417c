package dev.vidprocme.functions;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SegmentPlanner;
import dev.vidprocme.media.transcode.TranscodeException;
import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.FrameMode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.PlanOutput;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.spec.JobSpecParser;
import dev.vidprocme.spec.SpecException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a job's input and splits it into segments. Runs off the task thread (probing reads the
 * whole packet index), in priority order like decoding, and turns every kind of bad input into a
 * failed {@link JobPlan} with its own code, so one bad video never fails the Flink job.
 *
 * <p>Each attempt starts in the {@link WorkUnits} ledger (a cancelled job is dropped there). An
 * input that can never work is REJECTED; anything else that fails is retried by the async operator
 * and dead-lettered once the {@link RetryPolicy} is spent.
 */
public final class PlanJobFunction extends RichAsyncFunction<JobRequest, PlanOutput> {
    private static final Logger LOG = LoggerFactory.getLogger(PlanJobFunction.class);

    private final StageSettings settings;
    private final Backends backends;
    private final long transcodePartUs;
    private transient BlobStore blobs;
    private transient Database database;
    private transient WorkUnits units;
    private transient ExecutorService workers;
    private transient Counter plansFailed;
    private transient Counter retries;
    private transient Counter deadLetters;

    public PlanJobFunction(StageSettings settings, Backends backends) {
        this(settings, backends, TranscodeSettings.defaults());
    }

    /** Cuts renditions into parts of about {@code transcode.partTarget()}. */
    public PlanJobFunction(StageSettings settings, Backends backends, TranscodeSettings transcode) {
        this.settings = settings;
        this.backends = backends;
        this.transcodePartUs = transcode.partTargetUs();
    }

    @Override
    public void open(OpenContext context) throws Exception {
        blobs = backends.blobStore(settings.blobStoreUri());
        database = Database.connect(settings.db(), settings.planWorkers() + 1, "plan");
        units = new WorkUnits(database.dataSource());
        workers = Workers.prioritized("plan", settings.planWorkers());
        var metrics = getRuntimeContext().getMetricGroup();
        plansFailed = metrics.counter("plansFailed");
        retries = metrics.counter("retries");
        deadLetters = metrics.counter("deadLetters");
    }

    @Override
    public void asyncInvoke(JobRequest request, ResultFuture<PlanOutput> result) {
        workers.execute(
                new PrioritizedWork(
                        request.spec().priority(),
                        request.submittedAtMs(),
                        settings.queueAging().toMillis(),
                        () -> Completions.complete(result, plan(request))));
    }

    @Override
    public void timeout(JobRequest request, ResultFuture<PlanOutput> result) {
        plansFailed.inc();
        deadLetters.inc();
        result.complete(
                List.of(
                        PlanOutput.of(
                                JobPlan.failed(
                                        request,
                                        FailureCode.DEADLINE_EXCEEDED,
                                        "planning took longer than vidproc.plan.timeout, retries"
                                                + " included",
                                        Disposition.DEAD_LETTER,
                                        0,
                                        FailureCode.DEADLINE_EXCEEDED.wireName()))));
    }

    List<PlanOutput> plan(JobRequest request) {
        int priority = request.spec().priority();
        Optional<WorkUnits.Attempt> begun;
        try {
            begun = units.start(request.jobId(), WorkUnits.PLAN, 0, priority, null);
        } catch (SQLException e) {
            retries.inc();
            return failed(
                    request,
                    FailureCode.STORAGE_FAILED,
                    "the work ledger is unreachable: " + e.getMessage(),
                    Disposition.RETRY,
                    0,
                    e.getClass().getName());
        }
        if (begun.isEmpty()) {
            LOG.info("job {}: cancelled or ended before planning; dropped", request.jobId());
            return failed(request, null, null, Disposition.DROPPED, 0, null);
        }
        WorkUnits.Attempt attempt = begun.get();
        try {
            JobSpecParser.validate(request.spec());
            Path input = InputUris.resolve(request.inputUri(), blobs, settings.allowedInputPaths());
            ProbeResult probe = MediaProbe.probe(input);
            // A job that wants no frames decodes nothing: its renditions are all it asked for.
            List<SegmentTask> segments =
                    request.spec().frames().mode() == FrameMode.NONE
                            ? List.of()
                            : SegmentPlanner.plan(
                                    request, probe, settings.segmentTarget().toNanos() / 1000);
            units.planned(request.jobId(), priority, segments.size());
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
                                            request.submittedAtMs())
                                    .withRequest(request, attempt.attempts())));
            segments.forEach(s -> out.add(PlanOutput.of(s)));
            TranscodePlanner.plan(request, input, probe, transcodePartUs)
                    .forEach(t -> out.add(PlanOutput.of(t)));
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
            return e.code().rejectsInput()
                    ? rejected(request, attempt, e.code(), e.getMessage())
                    : verdict(request, attempt, e.code(), e.code().wireName(), e.getMessage());
        } catch (InputNotAllowedException e) {
            return rejected(request, attempt, FailureCode.INPUT_NOT_ALLOWED, e.getMessage());
        } catch (NoSuchFileException e) {
            return rejected(
                    request,
                    attempt,
                    FailureCode.INPUT_NOT_FOUND,
                    "the input does not exist any more");
        } catch (SpecException e) {
            return rejected(
                    request,
                    attempt,
                    FailureCode.INTERNAL,
                    "invalid spec in the job event: " + e.getMessage());
        } catch (IOException | SQLException e) {
            return verdict(
                    request,
                    attempt,
                    FailureCode.STORAGE_FAILED,
                    e.getClass().getName(),
                    "storage failed while planning: " + e.getMessage());
        } catch (TranscodeException e) {
            return verdict(
                    request,
                    attempt,
                    FailureCode.PROBE_FAILED,
                    e.getClass().getName(),
                    "the input's streams could not be probed for transcoding: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("job {}: planning failed unexpectedly", request.jobId(), e);
            return verdict(
                    request,
                    attempt,
                    FailureCode.INTERNAL,
                    e.getClass().getName(),
                    "planning failed: " + e);
        }
    }

    private List<PlanOutput> rejected(
            JobRequest request, WorkUnits.Attempt attempt, FailureCode code, String message) {
        plansFailed.inc();
        LOG.info("job {}: cannot run ({}): {}", request.jobId(), code.wireName(), message);
        finishQuietly(request, "failed");
        return failed(
                request, code, message, Disposition.REJECTED, attempt.attempts(), code.wireName());
    }

    private List<PlanOutput> verdict(
            JobRequest request,
            WorkUnits.Attempt attempt,
            FailureCode code,
            String errorClass,
            String message) {
        boolean again =
                settings.retry()
                        .mayRetry(
                                attempt.attempts(),
                                attempt.firstStartedAtMs(),
                                System.currentTimeMillis());
        if (again) {
            retries.inc();
            LOG.info(
                    "job {}: planning attempt {} failed, will retry: {}",
                    request.jobId(),
                    attempt.attempts(),
                    message);
        } else {
            plansFailed.inc();
            deadLetters.inc();
            LOG.warn(
                    "job {}: giving planning up after {} attempt(s): {}",
                    request.jobId(),
                    attempt.attempts(),
                    message);
            finishQuietly(request, "failed");
        }
        return failed(
                request,
                code,
                message,
                again ? Disposition.RETRY : Disposition.DEAD_LETTER,
                attempt.attempts(),
                errorClass);
    }

    private void finishQuietly(JobRequest request, String state) {
        try {
            units.finish(request.jobId(), WorkUnits.PLAN, 0, state);
        } catch (SQLException e) {
            LOG.debug("job {}: could not mark the plan unit {}", request.jobId(), state, e);
        }
    }

    private static List<PlanOutput> failed(
            JobRequest request,
            FailureCode code,
            String message,
            Disposition disposition,
            int attempts,
            String errorClass) {
        return List.of(
                PlanOutput.of(
                        JobPlan.failed(request, code, message, disposition, attempts, errorClass)));
    }

    /**
     * Frames the job will produce: every frame, the samples of the fps grid that frames can claim,
     * every keyframe, or in scenes mode at most the cap (fewer when the video has fewer scenes).
     */
    static long expectedFrames(JobRequest request, ProbeResult probe) {
        FrameSpec frames = request.spec().frames();
        switch (frames.mode()) {
            case NONE -> {
                return 0;
            }
            case KEYFRAMES -> {
                return probe.keyframePtsUs().length;
            }
            case SCENES -> {
                long cap =
                        frames.maxFrames() == null
                                ? SegmentPlanner.DEFAULT_SCENE_FRAMES
                                : frames.maxFrames();
                return Math.min(cap, probe.video().frameCount());
            }
            default -> {}
        }
        Double fps = frames.fps();
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
        if (database != null) {
            database.close();
        }
        if (blobs != null) {
            blobs.close();
        }
    }
}
