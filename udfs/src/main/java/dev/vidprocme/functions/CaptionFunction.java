package dev.vidprocme.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.analysis.SearchableText;
import dev.vidprocme.analysis.caption.CaptionFrame;
import dev.vidprocme.analysis.caption.CaptionStatus;
import dev.vidprocme.analysis.caption.Captioner;
import dev.vidprocme.analysis.caption.FrameCaption;
import dev.vidprocme.analysis.caption.JdbcCaptionCache;
import dev.vidprocme.analysis.caption.JdbcUsageLedger;
import dev.vidprocme.analysis.caption.JobBudget;
import dev.vidprocme.analysis.caption.ModelPrice;
import dev.vidprocme.analysis.embed.TextEmbedder;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.AnalysisStore;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.records.AnalysisSummary;
import dev.vidprocme.records.CaptionSpec;
import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.FrameAnalysis;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vision-LLM captions for the analysis frames of jobs whose spec asks for them ({@code
 * analysis.caption}): the frames go to the {@link Captioner} (batched, rate-limited, retried,
 * behind a circuit breaker, cached by image content), and each frame's caption, tags, objects and
 * visible text are stored with their embedding for search. A frame whose caption fails after its
 * retries, or that the job's token or cost budget no longer allows, is recorded as such and the job
 * goes on; the job's analysis summary says how many and why.
 *
 * <p>The calls wait on the network, not the CPU, so many segments are in flight at once; only
 * reading frames and storing results use the small worker pool. A replay after a crash asks the
 * model nothing it already answered: the cache is keyed by (image hash, model, prompt).
 */
public final class CaptionFunction extends RichAsyncFunction<SegmentResult, SegmentResult> {
    private static final Logger LOG = LoggerFactory.getLogger(CaptionFunction.class);
    private static final int BUDGETS_KEPT = 1024;

    private final StageSettings settings;
    private final AnalysisSettings analysis;
    private final Backends backends;
    private transient BlobStore blobs;
    private transient Database database;
    private transient FrameRepository frames;
    private transient WorkUnits units;
    private transient AnalysisStore store;
    private transient JobSpecs specs;
    private transient ExecutorService io;
    private transient Captioner captioner;
    private transient Map<String, JobBudget> budgets;
    private transient Counter captioned;
    private transient Counter failed;
    private transient Counter cacheHits;
    private transient Counter tokens;
    private transient Counter retries;

    public CaptionFunction(StageSettings settings, AnalysisSettings analysis, Backends backends) {
        this.settings = settings;
        this.analysis = analysis;
        this.backends = backends;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        blobs = backends.blobStore(settings.blobStoreUri());
        database = Database.connect(settings.db(), 3, "caption");
        frames = new FrameRepository(database.dataSource());
        units = new WorkUnits(database.dataSource());
        store = new AnalysisStore(database.dataSource());
        specs = new JobSpecs(database.dataSource());
        io = Workers.fifo("caption-io", 2);
        captioner =
                Captioner.create(
                        analysis.captions(),
                        new JdbcCaptionCache(database.dataSource()),
                        new JdbcUsageLedger(database.dataSource()));
        budgets =
                new LinkedHashMap<>(64, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, JobBudget> eldest) {
                        return size() > BUDGETS_KEPT;
                    }
                };
        var metrics = getRuntimeContext().getMetricGroup().addGroup("captions");
        captioned = metrics.counter("framesCaptioned");
        failed = metrics.counter("framesFailed");
        cacheHits = metrics.counter("cacheHits");
        tokens = metrics.counter("tokens");
        retries = metrics.counter("retries");
    }

    @Override
    public void asyncInvoke(SegmentResult segment, ResultFuture<SegmentResult> result) {
        if (segment.disposition() != Disposition.DONE || segment.framesWritten() == 0) {
            result.complete(List.of(segment));
            return;
        }
        OneShot<SegmentResult> once = new OneShot<>(result);
        CompletableFuture.supplyAsync(() -> prepare(segment), io)
                .thenCompose(prepared -> call(prepared, segment))
                .whenComplete(
                        (done, error) ->
                                once.complete(
                                        error == null ? done : failure(segment, unwrap(error))));
    }

    @Override
    public void timeout(SegmentResult segment, ResultFuture<SegmentResult> result) {
        result.complete(
                List.of(
                        segment.withDisposition(
                                        Disposition.DEAD_LETTER,
                                        FailureCode.DEADLINE_EXCEEDED,
                                        "captioning the segment took longer than"
                                                + " vidproc.caption.timeout",
                                        FailureCode.DEADLINE_EXCEEDED.wireName())
                                .withAnalysis(AnalysisSummary.none())));
    }

    /** What one attempt needs, read off the task thread: the spec, the frames, the budget. */
    private Prepared prepare(SegmentResult segment) {
        try {
            Optional<JobSpec> found = specs.get(segment.jobId());
            if (found.isEmpty()) {
                return Prepared.CANCELLED; // The job was deleted: nothing to store it under.
            }
            JobSpec spec = found.get();
            CaptionSpec caption = spec.analysis().caption();
            if (caption == null) {
                return Prepared.NOTHING;
            }
            Optional<WorkUnits.Attempt> begun =
                    units.start(
                            segment.jobId(),
                            WorkUnits.CAPTION,
                            segment.segmentIndex(),
                            spec.priority(),
                            null);
            if (begun.isEmpty()) {
                return Prepared.CANCELLED;
            }
            List<FrameRow> chosen =
                    AnalysisFrames.pick(
                            frames.segment(segment.jobId(), segment.segmentIndex()),
                            segment.sceneStartsMs(),
                            Math.round(spec.analysis().intervalSeconds() * 1000));
            List<CaptionFrame> images = new ArrayList<>(chosen.size());
            for (FrameRow frame : chosen) {
                try (InputStream in = blobs.open(frame.blobKey())) {
                    images.add(new CaptionFrame(frame.index(), in.readAllBytes()));
                }
            }
            return new Prepared(caption, images, budget(segment.jobId(), spec), false);
        } catch (IOException | SQLException e) {
            throw new CompletionException(e);
        }
    }

    private JobBudget budget(String jobId, JobSpec spec) {
        synchronized (budgets) {
            return budgets.computeIfAbsent(jobId, id -> captioner.budgetFor(id, spec.analysis()));
        }
    }

    /**
     * The frames of one segment to caption; {@link #NOTHING} when the job wants none, {@link
     * #CANCELLED} when the job was cancelled or ended and nothing more is written for it.
     */
    private record Prepared(
            CaptionSpec caption, List<CaptionFrame> images, JobBudget budget, boolean cancelled) {
        static final Prepared NOTHING = new Prepared(null, List.of(), null, false);
        static final Prepared CANCELLED = new Prepared(null, List.of(), null, true);
    }

    private CompletableFuture<SegmentResult> call(Prepared prepared, SegmentResult segment) {
        if (prepared.cancelled()) {
            return CompletableFuture.completedFuture(AnalyseFunction.dropped(segment));
        }
        if (prepared.caption() == null) {
            return CompletableFuture.completedFuture(segment);
        }
        return captioner
                .caption(segment.jobId(), prepared.images(), prepared.caption(), prepared.budget())
                .thenApplyAsync(results -> store(segment, prepared, results), io);
    }

    private SegmentResult store(
            SegmentResult segment, Prepared prepared, List<FrameCaption> results) {
        List<FrameAnalysis> rows = new ArrayList<>(results.size());
        int ok = 0;
        long used = 0;
        double cost = 0;
        ModelPrice price = analysis.captions().prices().get(prepared.caption().model());
        for (FrameCaption caption : results) {
            ObjectNode json = Json.mapper().valueToTree(caption);
            json.remove("frameIndex");
            String resultJson = json.toString();
            String body = caption.status() == CaptionStatus.OK ? SearchableText.of(resultJson) : "";
            float[] vector = body.isBlank() ? null : TextEmbedder.shared().embed(body);
            rows.add(
                    new FrameAnalysis(
                            segment.jobId(),
                            caption.frameIndex(),
                            FrameAnalysis.CAPTION,
                            prepared.caption().model(),
                            resultJson,
                            body,
                            vector));
            if (caption.status() == CaptionStatus.OK) {
                ok++;
                if (caption.cached()) {
                    cacheHits.inc();
                }
            } else {
                LOG.info(
                        "job {} frame {}: no caption ({}): {}",
                        segment.jobId(),
                        caption.frameIndex(),
                        caption.status(),
                        caption.error());
            }
            long frameTokens = caption.inputTokens() + caption.outputTokens();
            used += frameTokens;
            if (price != null) {
                cost += price.costUsd(caption.inputTokens(), caption.outputTokens());
            }
        }
        captioned.inc(ok);
        failed.inc(results.size() - ok);
        tokens.inc(used);
        try {
            if (!store.store(segment.jobId(), WorkUnits.CAPTION, segment.segmentIndex(), rows)) {
                return AnalyseFunction.dropped(segment);
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
        String note = prepared.budget().message().orElse(null);
        return segment.withAnalysis(
                new AnalysisSummary(0, 0, ok, results.size() - ok, used, cost, note));
    }

    /**
     * Storage that fails (the cache, the ledger, the analyses) is retried like any unit; a
     * configuration the captioner cannot run, such as a provider with no endpoint, fails the
     * captions of this segment, not the job.
     */
    private SegmentResult failure(SegmentResult segment, Throwable error) {
        if (error instanceof dev.vidprocme.analysis.caption.CaptionConfigException) {
            LOG.warn("job {}: captions cannot run: {}", segment.jobId(), error.getMessage());
            return segment.withAnalysis(
                    new AnalysisSummary(
                            0, 0, 0, 0, 0, 0, "captions could not run: " + error.getMessage()));
        }
        retries.inc();
        LOG.info(
                "job {} segment {}: captions failed, will retry: {}",
                segment.jobId(),
                segment.segmentIndex(),
                error.toString());
        return segment.withDisposition(
                        Disposition.RETRY,
                        FailureCode.STORAGE_FAILED,
                        "captions could not be stored: " + error.getMessage(),
                        error.getClass().getName())
                .withAnalysis(AnalysisSummary.none());
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    @Override
    public void close() throws Exception {
        Completions.stop(io);
        if (captioner != null) {
            captioner.close();
        }
        if (database != null) {
            database.close();
        }
        if (blobs != null) {
            blobs.close();
        }
    }
}
