package dev.vidprocme.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.analysis.FrameStats;
import dev.vidprocme.analysis.JpegDecoder;
import dev.vidprocme.analysis.LumaThumbnail;
import dev.vidprocme.analysis.OcrEngine;
import dev.vidprocme.analysis.RgbImage;
import dev.vidprocme.analysis.embed.TextEmbedder;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.AnalysisStore;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.records.AnalysisSpec;
import dev.vidprocme.records.AnalysisSummary;
import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.FrameAnalysis;
import dev.vidprocme.records.FrameStatistics;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.TextLine;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline analysers: for each decoded segment, reads its analysis frames ({@link
 * AnalysisFrames}) back from the blob store and finds their on-screen text (PaddleOCR on ONNX
 * Runtime) and statistics (brightness, sharpness, colours, motion), embeds the text for semantic
 * search, and stores it all per frame and analyser in one transaction. Needs no network, so every
 * job gets it by default. Segments that failed, or jobs that turned the analysers off, pass through
 * untouched.
 *
 * <p>Failures of storage are retried like decoding (attempts counted in the work ledger under stage
 * {@value WorkUnits#ANALYSE}); a frame whose text cannot be read is recorded as such and the
 * segment goes on.
 */
public final class AnalyseFunction extends RichAsyncFunction<SegmentResult, SegmentResult> {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyseFunction.class);
    private static final String OCR_MODEL = "pp-ocrv4";

    private final StageSettings settings;
    private final AnalysisSettings analysis;
    private final Backends backends;
    private transient BlobStore blobs;
    private transient Database database;
    private transient FrameRepository frames;
    private transient WorkUnits units;
    private transient AnalysisStore store;
    private transient JobSpecs specs;
    private transient ExecutorService workers;
    private transient OcrEngine ocr;
    private transient TextEmbedder embedder;
    private transient ThreadLocal<JpegDecoder> decoders;
    private transient List<JpegDecoder> openDecoders;
    private transient Counter framesAnalysed;
    private transient Counter textLines;
    private transient Counter retries;
    private transient Histogram ocrMillis;
    private transient Histogram statsMillis;
    private transient volatile boolean closed;

    public AnalyseFunction(StageSettings settings, AnalysisSettings analysis, Backends backends) {
        this.settings = settings;
        this.analysis = analysis;
        this.backends = backends;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        blobs = backends.blobStore(settings.blobStoreUri());
        database = Database.connect(settings.db(), analysis.workers() + 1, "analyse");
        frames = new FrameRepository(database.dataSource());
        units = new WorkUnits(database.dataSource());
        store = new AnalysisStore(database.dataSource());
        specs = new JobSpecs(database.dataSource());
        workers = Workers.fifo("analyse", analysis.workers());
        openDecoders = new java.util.concurrent.CopyOnWriteArrayList<>();
        decoders =
                ThreadLocal.withInitial(
                        () -> {
                            try {
                                JpegDecoder decoder = new JpegDecoder();
                                openDecoders.add(decoder);
                                return decoder;
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "cannot open the JPEG decoder: " + e.getMessage(), e);
                            }
                        });
        var metrics = getRuntimeContext().getMetricGroup().addGroup("analysis");
        framesAnalysed = metrics.counter("framesAnalysed");
        textLines = metrics.counter("textLines");
        retries = metrics.counter("retries");
        ocrMillis = metrics.histogram("ocrMillis", new DescriptiveStatisticsHistogram(500));
        statsMillis = metrics.histogram("statsMillis", new DescriptiveStatisticsHistogram(500));
    }

    @Override
    public void asyncInvoke(SegmentResult segment, ResultFuture<SegmentResult> result) {
        if (segment.disposition() != Disposition.DONE || segment.framesWritten() == 0) {
            result.complete(List.of(segment));
            return;
        }
        OneShot<SegmentResult> once = new OneShot<>(result);
        workers.execute(
                () -> {
                    if (!closed) {
                        once.complete(attempt(segment));
                    }
                });
    }

    @Override
    public void timeout(SegmentResult segment, ResultFuture<SegmentResult> result) {
        result.complete(
                List.of(
                        failed(
                                segment,
                                Disposition.DEAD_LETTER,
                                FailureCode.DEADLINE_EXCEEDED,
                                "analysing the segment took longer than vidproc.analysis.timeout",
                                FailureCode.DEADLINE_EXCEEDED.wireName())));
    }

    private SegmentResult attempt(SegmentResult segment) {
        Optional<WorkUnits.Attempt> begun;
        JobSpec spec;
        try {
            Optional<JobSpec> found = specs.get(segment.jobId());
            if (found.isEmpty()) {
                return dropped(segment); // The job was deleted: nothing to store it under.
            }
            spec = found.get();
            begun =
                    units.start(
                            segment.jobId(),
                            WorkUnits.ANALYSE,
                            segment.segmentIndex(),
                            spec.priority(),
                            null);
        } catch (SQLException | IOException e) {
            retries.inc();
            return failed(
                    segment,
                    Disposition.RETRY,
                    FailureCode.STORAGE_FAILED,
                    "the work ledger is unreachable: " + e.getMessage(),
                    e.getClass().getName());
        }
        if (begun.isEmpty()) {
            LOG.info("job {}: cancelled or ended; segment not analysed", segment.jobId());
            return dropped(segment);
        }
        WorkUnits.Attempt attempt = begun.get();
        try {
            AnalysisSummary found = analyse(segment, spec.analysis());
            return found == null ? dropped(segment) : segment.withAnalysis(found);
        } catch (IOException | SQLException e) {
            Disposition next = UnitOutcomes.afterFailure(settings.retry(), attempt);
            if (next == Disposition.RETRY) {
                retries.inc();
            }
            LOG.info(
                    "job {} segment {}: analysis attempt {} failed: {}",
                    segment.jobId(),
                    segment.segmentIndex(),
                    attempt.attempts(),
                    e.toString());
            return failed(
                    segment,
                    next,
                    FailureCode.STORAGE_FAILED,
                    "analyses could not be stored: " + e.getMessage(),
                    e.getClass().getName());
        }
    }

    private AnalysisSummary analyse(SegmentResult segment, AnalysisSpec spec)
            throws IOException, SQLException {
        if (!spec.ocr() && !spec.stats()) {
            units.finish(segment.jobId(), WorkUnits.ANALYSE, segment.segmentIndex(), "done");
            return AnalysisSummary.none();
        }
        List<FrameRow> kept = frames.segment(segment.jobId(), segment.segmentIndex());
        List<FrameRow> chosen =
                AnalysisFrames.pick(
                        kept, segment.sceneStartsMs(), Math.round(spec.intervalSeconds() * 1000));
        List<FrameAnalysis> rows = new ArrayList<>();
        LumaThumbnail previous = null;
        int withText = 0;
        for (FrameRow frame : chosen) {
            RgbImage image = read(frame);
            if (spec.stats()) {
                long t0 = System.nanoTime();
                FrameStatistics stats = FrameStats.measure(image, previous);
                previous = FrameStats.thumbnail(image);
                statsMillis.update((System.nanoTime() - t0) / 1_000_000);
                rows.add(
                        new FrameAnalysis(
                                segment.jobId(),
                                frame.index(),
                                FrameAnalysis.STATS,
                                "",
                                Json.mapper().writeValueAsString(stats),
                                "",
                                null));
            }
            if (spec.ocr()) {
                FrameAnalysis text = readText(segment.jobId(), frame, image);
                if (!text.body().isEmpty()) {
                    withText++;
                }
                rows.add(text);
            }
            framesAnalysed.inc();
        }
        if (!store.store(segment.jobId(), WorkUnits.ANALYSE, segment.segmentIndex(), rows)) {
            return null; // Cancelled meanwhile: nothing was written.
        }
        LOG.info(
                "job {} segment {}: analysed {} of {} frame(s), {} with text",
                segment.jobId(),
                segment.segmentIndex(),
                chosen.size(),
                kept.size(),
                withText);
        return new AnalysisSummary(chosen.size(), withText, 0, 0, 0, 0, null);
    }

    private RgbImage read(FrameRow frame) throws IOException {
        byte[] jpeg;
        try (InputStream in = blobs.open(frame.blobKey())) {
            jpeg = in.readAllBytes();
        }
        try {
            return decoders.get().decode(jpeg);
        } catch (dev.vidprocme.media.MediaException e) {
            throw new IOException("frame " + frame.index() + " cannot be read back: " + e, e);
        }
    }

    /** The frame's text, or a record of why it could not be read (the segment goes on). */
    private FrameAnalysis readText(String jobId, FrameRow frame, RgbImage image)
            throws IOException {
        ObjectNode result = Json.mapper().createObjectNode();
        String body = "";
        long t0 = System.nanoTime();
        try {
            List<TextLine> lines = ocrEngine().read(image);
            ArrayNode array = result.putArray("lines");
            for (TextLine line : lines) {
                ObjectNode node = array.addObject();
                node.put("text", line.text());
                node.put("confidence", line.confidence());
                ArrayNode box = node.putArray("box");
                for (int v : line.box()) {
                    box.add(v);
                }
            }
            textLines.inc(lines.size());
            body = lines.stream().map(TextLine::text).collect(Collectors.joining("\n"));
        } catch (Exception e) {
            result.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            LOG.warn("job {} frame {}: text could not be read", jobId, frame.index(), e);
        } finally {
            ocrMillis.update((System.nanoTime() - t0) / 1_000_000);
        }
        float[] vector = body.isBlank() ? null : textEmbedder().embed(body);
        return new FrameAnalysis(
                jobId,
                frame.index(),
                FrameAnalysis.OCR,
                OCR_MODEL,
                Json.mapper().writeValueAsString(result),
                body,
                vector);
    }

    /** Loaded on first use, so jobs that never read text never pay for the models. */
    private synchronized OcrEngine ocrEngine() throws Exception {
        if (ocr == null) {
            ocr = OcrEngine.shared(analysis.ocr());
        }
        return ocr;
    }

    private synchronized TextEmbedder textEmbedder() {
        if (embedder == null) {
            embedder = TextEmbedder.shared();
        }
        return embedder;
    }

    /**
     * The job was cancelled (or ended) before its analyses could be stored: the tracker ends it
     * CANCELLED, as it does for decode units dropped on a cancel.
     */
    static SegmentResult dropped(SegmentResult segment) {
        return segment.withDisposition(Disposition.DROPPED, null, null, null)
                .withAnalysis(AnalysisSummary.none());
    }

    private static SegmentResult failed(
            SegmentResult segment,
            Disposition disposition,
            FailureCode code,
            String message,
            String errorClass) {
        return segment.withDisposition(disposition, code, message, errorClass)
                .withAnalysis(AnalysisSummary.none());
    }

    @Override
    public void close() throws Exception {
        closed = true;
        Completions.stop(workers);
        if (openDecoders != null) {
            openDecoders.forEach(JpegDecoder::close);
        }
        synchronized (this) {
            if (ocr != null) {
                ocr.close();
            }
        }
        if (database != null) {
            database.close();
        }
        if (blobs != null) {
            blobs.close();
        }
    }
}
