package dev.vidprocme.functions;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.media.DecodeOutcome;
import dev.vidprocme.media.FrameDecoder;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.SegmentTask;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadPoolExecutor;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one segment, writes its JPEGs to the blob store and its rows to PostgreSQL, then reports
 * the {@link SegmentResult}. Every write is keyed by (job, frame index), so a segment replayed
 * after a failure overwrites exactly what it wrote before.
 *
 * <p>Admitted segments wait in the async operator's checkpointed queue and run on workers that take
 * them highest effective priority first (see {@link PrioritizedWork}). Each attempt:
 *
 * <ol>
 *   <li>starts in the {@link WorkUnits} ledger, which counts attempts across restores and says
 *       whether the job was cancelled (then the unit is {@linkplain Disposition#DROPPED dropped});
 *   <li>decodes under a deadline that a watchdog enforces even on a worker that never returns;
 *   <li>ends DONE, REJECTED (the input can never work), RETRY (Flink's async retry runs it again
 *       after a jittered backoff) or, once the {@link RetryPolicy} is spent, DEAD_LETTER.
 * </ol>
 */
public final class DecodeSegmentFunction extends RichAsyncFunction<SegmentTask, SegmentResult> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeSegmentFunction.class);

    private final StageSettings settings;
    private final Backends backends;
    private transient BlobStore blobs;
    private transient Database database;
    private transient FrameRepository frames;
    private transient WorkUnits units;
    private transient ThreadPoolExecutor workers;
    private transient Overruns overruns;
    private transient FrameDecoder decoder;
    private transient GpuAssignment gpu;
    private transient Integer gpuIndex;
    private transient Counter framesWritten;
    private transient Counter segmentsFailed;
    private transient Counter retries;
    private transient Counter deadLetters;
    private transient Counter dropped;
    private transient volatile boolean closed;
    private transient Urgency urgency;
    // Guarded by workers: extra workers open for urgent units.
    private transient int lanes;

    public DecodeSegmentFunction(StageSettings settings, Backends backends) {
        this.settings = settings;
        this.backends = backends;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        blobs = backends.blobStore(settings.blobStoreUri());
        database = Database.connect(settings.db(), settings.decodeWorkers() + 1, "decode");
        frames = new FrameRepository(database.dataSource());
        units = new WorkUnits(database.dataSource());
        workers = Workers.prioritized("decode", settings.decodeWorkers());
        overruns = new Overruns(workers, "decode");
        urgency = Urgency.SHARED;
        gpu = GpuAssignment.acquire(getRuntimeContext(), settings.gpu());
        gpuIndex = gpu.index();
        decoder = backends.decoder(settings, gpuIndex);
        var metrics = getRuntimeContext().getMetricGroup();
        framesWritten = metrics.counter("framesWritten");
        segmentsFailed = metrics.counter("segmentsFailed");
        retries = metrics.counter("retries");
        deadLetters = metrics.counter("deadLetters");
        dropped = metrics.counter("unitsDropped");
        metrics.gauge("decodeQueueLength", () -> workers.getQueue().size());
        metrics.gauge("workersStuck", () -> overruns.stuck());
    }

    @Override
    public void asyncInvoke(SegmentTask task, ResultFuture<SegmentResult> result) {
        OneShot<SegmentResult> once = new OneShot<>(result);
        long agingMs = settings.queueAging().toMillis();
        double score = Urgency.score(task.priority(), task.submittedAtMs(), agingMs);
        boolean lane = openUrgentLane(score);
        workers.execute(
                new PrioritizedWork(
                        task.priority(),
                        task.submittedAtMs(),
                        agingMs,
                        () -> run(task, once, score, lane)));
    }

    /**
     * Adds a worker for a unit that outranks running work while every worker is busy, so it starts
     * now (the new worker takes the most urgent unit queued) while the outranked units pause
     * ({@link Urgency}). At most {@code decode.workers} such lanes are open at once.
     */
    private boolean openUrgentLane(double score) {
        synchronized (workers) {
            boolean busy = workers.getActiveCount() >= workers.getCorePoolSize();
            if (!busy || lanes >= settings.decodeWorkers() || !urgency.outranksRunning(score)) {
                return false;
            }
            lanes++;
            PoolSize.grow(workers);
            return true;
        }
    }

    private void run(SegmentTask task, OneShot<SegmentResult> once, double score, boolean lane) {
        try (Urgency.Turn turn = urgency.enter(score)) {
            if (closed) {
                return; // The operator is going away; the unit is replayed from the checkpoint.
            }
            settle(task, once, attempt(task, once, turn));
        } catch (OperatorClosing e) {
            // Replayed from the checkpoint; completing now would race the shutdown.
        } finally {
            if (lane) {
                synchronized (workers) {
                    lanes--;
                    PoolSize.shrink(workers);
                }
            }
        }
    }

    @Override
    public void timeout(SegmentTask task, ResultFuture<SegmentResult> result) {
        // A backstop for a unit that waited and retried past vidproc.decode.timeout in all.
        segmentsFailed.inc();
        deadLetters.inc();
        result.complete(
                List.of(
                        new SegmentResult(
                                task.jobId(),
                                task.segmentIndex(),
                                0,
                                0,
                                FailureCode.DEADLINE_EXCEEDED,
                                "the segment waited and ran longer than vidproc.decode.timeout",
                                0,
                                Disposition.DEAD_LETTER,
                                0,
                                FailureCode.DEADLINE_EXCEEDED.wireName(),
                                null)));
    }

    private SegmentResult attempt(SegmentTask task, OneShot<SegmentResult> once, Urgency.Turn turn)
            throws OperatorClosing {
        long started = System.nanoTime();
        Optional<WorkUnits.Attempt> begun;
        try {
            begun =
                    units.start(
                            task.jobId(),
                            WorkUnits.DECODE,
                            task.segmentIndex(),
                            task.priority(),
                            gpuIndex);
        } catch (SQLException e) {
            // Without the ledger the attempt cannot be counted: retry, bounded by the operator.
            return retry(task, null, FailureCode.STORAGE_FAILED, e, started);
        }
        if (begun.isEmpty()) {
            return dropped(task, started);
        }
        WorkUnits.Attempt attempt = begun.get();
        try (Overruns.Alarm alarm =
                overruns.arm(
                        settings.decodeDeadline(),
                        turn::pausedNanos,
                        () ->
                                settle(
                                        task,
                                        once,
                                        verdict(
                                                task,
                                                attempt,
                                                FailureCode.DEADLINE_EXCEEDED,
                                                FailureCode.DEADLINE_EXCEEDED.wireName(),
                                                "the segment did not finish within"
                                                        + " vidproc.decode.deadline ("
                                                        + settings.decodeDeadline()
                                                        + ")",
                                                started)))) {
            return decode(task, attempt, once, turn, started);
        } catch (MediaException e) {
            closing();
            if (e.code().rejectsInput()) {
                return rejected(task, attempt, e.code(), e.getMessage(), started);
            }
            return verdict(task, attempt, e.code(), e.code().wireName(), e.getMessage(), started);
        } catch (InputNotAllowedException e) {
            return rejected(task, attempt, FailureCode.INPUT_NOT_ALLOWED, e.getMessage(), started);
        } catch (NoSuchFileException e) {
            return rejected(
                    task,
                    attempt,
                    FailureCode.INPUT_NOT_FOUND,
                    "the input does not exist any more",
                    started);
        } catch (IOException | SQLException e) {
            closing();
            return verdict(
                    task,
                    attempt,
                    FailureCode.STORAGE_FAILED,
                    e.getClass().getName(),
                    "frames could not be stored: " + e.getMessage(),
                    started);
        } catch (RuntimeException | LinkageError e) {
            closing();
            LOG.warn("job {} segment {}: decode crashed", task.jobId(), task.segmentIndex(), e);
            return verdict(
                    task,
                    attempt,
                    FailureCode.INTERNAL,
                    e.getClass().getName(),
                    "the decoder crashed: " + e.getMessage(),
                    started);
        }
    }

    private SegmentResult decode(
            SegmentTask task,
            WorkUnits.Attempt attempt,
            OneShot<?> once,
            Urgency.Turn turn,
            long started)
            throws MediaException, IOException, SQLException, InputNotAllowedException {
        long deadline = started + settings.decodeDeadline().toNanos();
        Path input = InputUris.resolve(task.inputUri(), blobs, settings.allowedInputPaths());
        List<FrameRow> rows = new ArrayList<>();
        DecodeOutcome outcome =
                decoder.decode(
                        input,
                        task,
                        (index, ptsUs, width, height, jpeg) -> {
                            String key = BlobKeys.frame(task.jobId(), index);
                            blobs.put(key, jpeg);
                            rows.add(
                                    new FrameRow(
                                            task.jobId(),
                                            index,
                                            ptsUs / 1000,
                                            width,
                                            height,
                                            jpeg.length,
                                            key,
                                            task.segmentIndex()));
                        },
                        () ->
                                !turn.yieldIfOutranked(() -> closed || once.isDone())
                                        || closed
                                        || once.isDone()
                                        || System.nanoTime() - turn.pausedNanos() > deadline);
        SegmentResult result =
                new SegmentResult(
                        task.jobId(),
                        task.segmentIndex(),
                        outcome.frames(),
                        outcome.decodeErrors(),
                        null,
                        outcome.damage(),
                        elapsedMs(started),
                        Disposition.DONE,
                        attempt.attempts(),
                        null,
                        outcome.device(),
                        null,
                        outcome.scenes());
        if (!store(rows, result, task)) {
            deleteQuietly(rows);
            return dropped(task, started);
        }
        return result;
    }

    private boolean store(List<FrameRow> rows, SegmentResult result, SegmentTask task)
            throws SQLException {
        return frames.storeSegment(
                rows,
                result,
                task.startUs() / 1000,
                task.lastSegment() ? null : task.endUs() / 1000);
    }

    /**
     * Completes the attempt unless the watchdog (or the worker) already did, and only then counts
     * it, logs it and records how the unit ended, so an overrun attempt is reported once.
     */
    private void settle(SegmentTask task, OneShot<SegmentResult> once, SegmentResult r) {
        if (!once.complete(r)) {
            return;
        }
        String unit = "job " + task.jobId() + " segment " + task.segmentIndex();
        UnitOutcomes.log(LOG, unit, r.disposition(), r.attempts(), r.damage(), r.errorClass());
        switch (r.disposition()) {
            case DONE -> framesWritten.inc(r.framesWritten());
            case REJECTED -> segmentsFailed.inc();
            case RETRY -> retries.inc();
            case DEAD_LETTER -> {
                segmentsFailed.inc();
                deadLetters.inc();
                finishUnit(task, "failed");
            }
            case DROPPED -> {
                dropped.inc();
                finishUnit(task, "dropped");
            }
        }
    }

    private void finishUnit(SegmentTask task, String state) {
        try {
            units.finish(task.jobId(), WorkUnits.DECODE, task.segmentIndex(), state);
        } catch (SQLException e) {
            LOG.debug("could not mark the unit {}; the tracker still learns it", state, e);
        }
    }

    /** The input can never work: the job fails with this reason, no retry, no dead letter. */
    private SegmentResult rejected(
            SegmentTask task,
            WorkUnits.Attempt attempt,
            FailureCode code,
            String message,
            long started) {
        SegmentResult result =
                new SegmentResult(
                        task.jobId(),
                        task.segmentIndex(),
                        0,
                        0,
                        code,
                        message,
                        elapsedMs(started),
                        Disposition.REJECTED,
                        attempt.attempts(),
                        code.wireName(),
                        null);
        try {
            store(List.of(), result, task);
        } catch (SQLException e) {
            return verdict(
                    task,
                    attempt,
                    FailureCode.STORAGE_FAILED,
                    e.getClass().getName(),
                    "the failure could not be stored: " + e.getMessage(),
                    started);
        }
        return result;
    }

    /** A failure that may pass: retried while the policy allows, then dead-lettered. */
    private SegmentResult verdict(
            SegmentTask task,
            WorkUnits.Attempt attempt,
            FailureCode code,
            String errorClass,
            String message,
            long started) {
        return new SegmentResult(
                task.jobId(),
                task.segmentIndex(),
                0,
                0,
                code,
                message,
                elapsedMs(started),
                UnitOutcomes.afterFailure(settings.retry(), attempt),
                attempt.attempts(),
                errorClass,
                null);
    }

    private SegmentResult retry(
            SegmentTask task, WorkUnits.Attempt attempt, FailureCode code, Exception e, long t0) {
        return new SegmentResult(
                task.jobId(),
                task.segmentIndex(),
                0,
                0,
                code,
                "the work ledger is unreachable: " + e.getMessage(),
                elapsedMs(t0),
                Disposition.RETRY,
                attempt == null ? 0 : attempt.attempts(),
                e.getClass().getName(),
                null);
    }

    private SegmentResult dropped(SegmentTask task, long started) {
        return new SegmentResult(
                task.jobId(),
                task.segmentIndex(),
                0,
                0,
                null,
                null,
                elapsedMs(started),
                Disposition.DROPPED,
                0,
                null,
                null);
    }

    /** A failure caused by the operator shutting down is not the unit's: it is replayed. */
    private void closing() throws OperatorClosing {
        OperatorClosing.check(closed);
    }

    private void deleteQuietly(List<FrameRow> rows) {
        for (FrameRow row : rows) {
            try {
                blobs.delete(row.blobKey());
            } catch (IOException e) {
                LOG.debug("could not delete {} of a dropped segment", row.blobKey(), e);
            }
        }
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (overruns != null) {
            overruns.close();
        }
        Completions.stop(workers);
        if (gpu != null) {
            gpu.close();
        }
        if (database != null) {
            database.close();
        }
        if (blobs != null) {
            blobs.close();
        }
    }
}
