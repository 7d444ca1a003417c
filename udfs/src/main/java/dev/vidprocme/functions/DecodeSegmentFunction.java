package dev.vidprocme.functions;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobStores;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.media.DecodeOutcome;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.media.SegmentDecoder;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.SegmentTask;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Admitted segments wait in a priority-ordered queue in front of the decode workers. A bad
 * stream yields a failed result; storage that cannot be reached fails the operator instead, so
 * Flink restores from the last checkpoint and replays rather than losing frames.
 */
public final class DecodeSegmentFunction extends RichAsyncFunction<SegmentTask, SegmentResult> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeSegmentFunction.class);

    private final StageSettings settings;
    private transient BlobStore blobs;
    private transient Database database;
    private transient FrameRepository frames;
    private transient ThreadPoolExecutor workers;
    private transient SegmentDecoder decoder;
    private transient Counter framesWritten;
    private transient Counter segmentsFailed;
    private transient volatile boolean closed;

    public DecodeSegmentFunction(StageSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        blobs = BlobStores.open(settings.blobStoreUri());
        database = Database.connect(settings.db(), settings.decodeWorkers(), "decode");
        frames = new FrameRepository(database.dataSource());
        workers = Workers.prioritized("decode", settings.decodeWorkers());
        decoder = new SegmentDecoder(settings.decoderThreads(), settings.encodeThreads());
        framesWritten = getRuntimeContext().getMetricGroup().counter("framesWritten");
        segmentsFailed = getRuntimeContext().getMetricGroup().counter("segmentsFailed");
        getRuntimeContext()
                .getMetricGroup()
                .gauge("decodeQueueLength", () -> workers.getQueue().size());
    }

    @Override
    public void asyncInvoke(SegmentTask task, ResultFuture<SegmentResult> result) {
        workers.execute(
                new PrioritizedWork(
                        task.priority(),
                        task.submittedAtMs(),
                        () -> {
                            if (closed) {
                                return; // The operator is going away; the unit is replayed from the
                                // checkpoint.
                            }
                            try {
                                SegmentResult done = decode(task);
                                Completions.complete(result, done);
                            } catch (Exception | LinkageError e) {
                                if (!closed) {
                                    LOG.warn(
                                            "job {} segment {}: storage failed, failing over",
                                            task.jobId(),
                                            task.segmentIndex(),
                                            e);
                                    Completions.fail(result, e);
                                }
                            }
                        }));
    }

    @Override
    public void timeout(SegmentTask task, ResultFuture<SegmentResult> result) {
        // A backstop only: the real per-segment deadline starts when a worker picks the segment up.
        segmentsFailed.inc();
        result.complete(
                List.of(
                        failed(
                                task,
                                FailureCode.DEADLINE_EXCEEDED,
                                "the segment waited and ran longer than allowed",
                                0)));
    }

    SegmentResult decode(SegmentTask task) throws IOException, SQLException {
        long started = System.nanoTime();
        long deadline = started + settings.decodeDeadline().toNanos();
        List<FrameRow> rows = new ArrayList<>();
        SegmentResult result;
        try {
            Path input = InputUris.resolve(task.inputUri(), blobs, settings.allowedInputPaths());
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
                            () -> closed || System.nanoTime() > deadline);
            result =
                    new SegmentResult(
                            task.jobId(),
                            task.segmentIndex(),
                            outcome.frames(),
                            outcome.decodeErrors(),
                            null,
                            outcome.damage(),
                            elapsedMs(started));
        } catch (MediaException e) {
            if (closed) {
                throw new java.util.concurrent.CancellationException(
                        "operator closing; the segment is replayed");
            }
            result = failed(task, e.code(), e.getMessage(), elapsedMs(started));
        } catch (InputNotAllowedException e) {
            result =
                    failed(task, FailureCode.INPUT_NOT_ALLOWED, e.getMessage(), elapsedMs(started));
        } catch (NoSuchFileException e) {
            result =
                    failed(
                            task,
                            FailureCode.INPUT_NOT_FOUND,
                            "the input does not exist any more",
                            elapsedMs(started));
        }
        // Frames that decoded before a failure are kept and counted, never rewritten under other
        // keys.
        if (result.failed() && !rows.isEmpty()) {
            result =
                    new SegmentResult(
                            result.jobId(),
                            result.segmentIndex(),
                            rows.size(),
                            result.decodeErrors(),
                            result.failureCode(),
                            result.damage(),
                            result.elapsedMs());
        }
        frames.storeSegment(
                rows,
                result,
                task.startUs() / 1000,
                task.lastSegment() ? null : task.endUs() / 1000);
        framesWritten.inc(rows.size());
        return result;
    }

    private SegmentResult failed(
            SegmentTask task, FailureCode code, String message, long elapsedMs) {
        segmentsFailed.inc();
        LOG.info(
                "job {} segment {}: {} ({})",
                task.jobId(),
                task.segmentIndex(),
                message,
                code.wireName());
        return new SegmentResult(task.jobId(), task.segmentIndex(), 0, 0, code, message, elapsedMs);
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        Completions.stop(workers);
        if (database != null) {
            database.close();
        }
        if (blobs != null) {
            blobs.close();
        }
    }
}
