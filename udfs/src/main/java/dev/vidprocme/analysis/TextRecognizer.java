package dev.vidprocme.analysis;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * PP-OCRv4's text recogniser (an SVTR-LCNet CTC model) with PaddleOCR's pre- and post-processing:
 * each region is cut out of the frame along its own axes (upright when taller than wide) and scaled
 * to 48 px high, lines of about the same width are batched (padded to at least 96 px, not
 * PaddleOCR's 320, which costs 3x for short lines), and the output is decoded greedily (best class
 * per step, repeats and blanks dropped) against the character dictionary.
 */
final class TextRecognizer {
    static final int HEIGHT = 48;
    // PaddleOCR pads every batch to at least 320 px (rec_image_shape [3, 48, 320]); the model's
    // cost grows with the width, so short lines and the detector's false positives are padded
    // only to this, and a batch only takes lines of about the same width.
    private static final double MIN_RATIO = 2;
    // A batch is closed when the next (wider) line would pad its narrowest by more than this.
    private static final double MAX_PADDING = 1.25;
    // The longest line is capped so one banner cannot make a tensor of unbounded width.
    private static final double MAX_RATIO = 40;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String[] characters;
    private final OcrSettings settings;

    /**
     * @param characters the model's classes after the CTC blank (class 0): the dictionary, then a
     *     space
     */
    TextRecognizer(
            OrtEnvironment env, OrtSession session, String[] characters, OcrSettings settings) {
        this.env = env;
        this.session = session;
        this.characters = characters;
        this.settings = settings;
    }

    /** A recognised line: its text and mean per-character probability. */
    record Reading(String text, double confidence) {}

    /** Reads every region; the result is in the order of {@code regions}. */
    List<Reading> recognize(RgbImage image, List<Quad> regions) throws OrtException {
        int n = regions.size();
        Crop[] crops = new Crop[n];
        for (int i = 0; i < n; i++) {
            crops[i] = Crop.of(regions.get(i));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> crops[i].ratio()));
        Reading[] out = new Reading[n];
        int to;
        for (int from = 0; from < n; from = to) {
            double narrowest = Math.max(MIN_RATIO, crops[order[from]].ratio());
            to = from + 1;
            while (to < n
                    && to - from < settings.recBatchSize()
                    && Math.min(crops[order[to]].ratio(), MAX_RATIO) <= narrowest * MAX_PADDING) {
                to++;
            }
            double ratio = MIN_RATIO;
            for (int k = from; k < to; k++) {
                ratio = Math.max(ratio, crops[order[k]].ratio());
            }
            int width = (int) Math.ceil(HEIGHT * Math.min(ratio, MAX_RATIO));
            int batch = to - from;
            int plane = HEIGHT * width;
            // Zero after normalisation is mid-grey: the padding PaddleOCR uses.
            float[] input = new float[batch * 3 * plane];
            for (int k = from; k < to; k++) {
                crops[order[k]].sample(image, input, (k - from) * 3 * plane, width);
            }
            try (OnnxTensor tensor =
                            OnnxTensor.createTensor(
                                    env,
                                    FloatBuffer.wrap(input),
                                    new long[] {batch, 3, HEIGHT, width});
                    OrtSession.Result result =
                            session.run(
                                    Map.of(session.getInputNames().iterator().next(), tensor))) {
                OnnxTensor probs = (OnnxTensor) result.get(0);
                long[] shape = probs.getInfo().getShape();
                int steps = (int) shape[1];
                int classes = (int) shape[2];
                FloatBuffer buffer = probs.getFloatBuffer();
                for (int k = from; k < to; k++) {
                    out[order[k]] = decode(buffer, (k - from) * steps * classes, steps, classes);
                }
            }
        }
        return Arrays.asList(out);
    }

    private Reading decode(FloatBuffer probs, int offset, int steps, int classes) {
        StringBuilder text = new StringBuilder();
        double sum = 0;
        int kept = 0;
        int previous = 0;
        for (int t = 0; t < steps; t++) {
            int base = offset + t * classes;
            int best = 0;
            float bestProb = probs.get(base);
            for (int c = 1; c < classes; c++) {
                float p = probs.get(base + c);
                if (p > bestProb) {
                    bestProb = p;
                    best = c;
                }
            }
            if (best != 0 && best != previous && best <= characters.length) {
                text.append(characters[best - 1]);
                sum += bestProb;
                kept++;
            }
            previous = best;
        }
        return new Reading(text.toString(), kept == 0 ? 0 : sum / kept);
    }

    /**
     * Where a line lies in the frame: an origin and the two axes along and across the text, which
     * map the unit square onto the region.
     */
    private record Crop(
            double ox, double oy, double ux, double uy, double vx, double vy, double ratio) {
        static Crop of(Quad q) {
            double w = Math.max(dist(q, 0, 1), dist(q, 3, 2));
            double h = Math.max(dist(q, 0, 3), dist(q, 1, 2));
            if (h >= 1.5 * w) {
                // Vertical text: PaddleOCR turns the crop a quarter counter-clockwise.
                return new Crop(
                        q.x(1),
                        q.y(1),
                        q.x(2) - q.x(1),
                        q.y(2) - q.y(1),
                        q.x(0) - q.x(1),
                        q.y(0) - q.y(1),
                        h / Math.max(1, w));
            }
            return new Crop(
                    q.x(0),
                    q.y(0),
                    q.x(1) - q.x(0),
                    q.y(1) - q.y(0),
                    q.x(3) - q.x(0),
                    q.y(3) - q.y(0),
                    w / Math.max(1, h));
        }

        private static double dist(Quad q, int a, int b) {
            return Math.hypot(q.x(b) - q.x(a), q.y(b) - q.y(a));
        }

        /**
         * Writes this line, scaled to 48 px high and normalised to -1..1 in BGR order, at {@code
         * offset} of a CHW batch tensor {@code width} wide; what is right of the line stays 0.
         */
        void sample(RgbImage image, float[] out, int offset, int width) {
            int lineWidth =
                    (int)
                            Math.max(
                                    1,
                                    Math.min(
                                            width, Math.ceil(HEIGHT * Math.min(ratio, MAX_RATIO))));
            int sw = image.width();
            int sh = image.height();
            byte[] src = image.rgb();
            int plane = HEIGHT * width;
            for (int v = 0; v < HEIGHT; v++) {
                double t = (v + 0.5) / HEIGHT;
                for (int u = 0; u < lineWidth; u++) {
                    double s = (u + 0.5) / lineWidth;
                    double x = ox + s * ux + t * vx;
                    double y = oy + s * uy + t * vy;
                    x = Math.max(0, Math.min(sw - 1, x));
                    y = Math.max(0, Math.min(sh - 1, y));
                    int x0 = (int) x;
                    int y0 = (int) y;
                    int x1 = Math.min(x0 + 1, sw - 1);
                    int y1 = Math.min(y0 + 1, sh - 1);
                    double fx = x - x0;
                    double fy = y - y0;
                    int p00 = 3 * (y0 * sw + x0);
                    int p01 = 3 * (y0 * sw + x1);
                    int p10 = 3 * (y1 * sw + x0);
                    int p11 = 3 * (y1 * sw + x1);
                    for (int c = 0; c < 3; c++) {
                        int ch = 2 - c;
                        double top =
                                (src[p00 + ch] & 0xff) * (1 - fx) + (src[p01 + ch] & 0xff) * fx;
                        double bottom =
                                (src[p10 + ch] & 0xff) * (1 - fx) + (src[p11 + ch] & 0xff) * fx;
                        double value = top * (1 - fy) + bottom * fy;
                        out[offset + c * plane + v * width + u] = (float) (value / 127.5 - 1);
                    }
                }
            }
        }
    }
}
