package dev.vidprocme.analysis;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * PP-OCRv4's text detector (a DB network) with PaddleOCR's pre- and post-processing: the frame
 * scaled to a multiple of 32 with its longer side capped, normalised in BGR order; the probability
 * map thresholded, each connected region turned into its minimum-area rectangle, scored by the mean
 * probability inside it, grown (unclipped) and mapped back to the frame's pixels.
 */
final class TextDetector {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final int MIN_SIZE = 3;
    // PaddleOCR's max_candidates: regions beyond this are noise, not text.
    private static final int MAX_CANDIDATES = 1000;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OcrSettings settings;

    TextDetector(OrtEnvironment env, OrtSession session, OcrSettings settings) {
        this.env = env;
        this.session = session;
        this.settings = settings;
    }

    /** A detected line: its corners in the frame's pixels and the detector's score. */
    record Region(Quad quad, double score) {}

    /** The text regions of {@code image}, top to bottom then left to right. */
    List<Region> detect(RgbImage image) throws OrtException {
        int w = image.width();
        int h = image.height();
        double ratio = Math.min(1.0, (double) settings.maxSideLen() / Math.max(w, h));
        int dw = Math.max(32, (int) Math.round(w * ratio / 32) * 32);
        int dh = Math.max(32, (int) Math.round(h * ratio / 32) * 32);
        float[] input = normalised(image, dw, dh);
        float[] prob;
        try (OnnxTensor tensor =
                        OnnxTensor.createTensor(
                                env, FloatBuffer.wrap(input), new long[] {1, 3, dh, dw});
                OrtSession.Result result =
                        session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            prob = new float[out.remaining()];
            out.get(prob);
        }
        return regions(prob, dw, dh, (double) w / dw, (double) h / dh, w, h);
    }

    /** Bilinear resize to {@code dw x dh} into a CHW tensor, BGR as PaddleOCR's OpenCV reads. */
    private static float[] normalised(RgbImage image, int dw, int dh) {
        int sw = image.width();
        int sh = image.height();
        byte[] src = image.rgb();
        int plane = dw * dh;
        float[] out = new float[3 * plane];
        int[] x0 = new int[dw];
        float[] fx = new float[dw];
        for (int x = 0; x < dw; x++) {
            float s = Math.max(0, (x + 0.5f) * sw / dw - 0.5f);
            x0[x] = Math.min((int) s, sw - 1);
            fx[x] = s - x0[x];
        }
        float[] scale = new float[3];
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            // Channel c of the tensor is BGR channel c, so it takes RGB channel 2 - c.
            scale[c] = 1f / (255f * STD[c]);
            shift[c] = -MEAN[c] / STD[c];
        }
        for (int y = 0; y < dh; y++) {
            float s = Math.max(0, (y + 0.5f) * sh / dh - 0.5f);
            int y0 = Math.min((int) s, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            float fy = s - y0;
            int r0 = 3 * y0 * sw;
            int r1 = 3 * y1 * sw;
            for (int x = 0; x < dw; x++) {
                int a = 3 * x0[x];
                int b = 3 * Math.min(x0[x] + 1, sw - 1);
                float f = fx[x];
                for (int c = 0; c < 3; c++) {
                    int ch = 2 - c;
                    float top = (src[r0 + a + ch] & 0xff) * (1 - f) + (src[r0 + b + ch] & 0xff) * f;
                    float bottom =
                            (src[r1 + a + ch] & 0xff) * (1 - f) + (src[r1 + b + ch] & 0xff) * f;
                    float v = top * (1 - fy) + bottom * fy;
                    out[c * plane + y * dw + x] = v * scale[c] + shift[c];
                }
            }
        }
        return out;
    }

    private List<Region> regions(
            float[] prob, int dw, int dh, double sx, double sy, int width, int height) {
        float threshold = (float) settings.binaryThreshold();
        int[] label = new int[prob.length];
        int[] stack = new int[prob.length];
        // Per component, the leftmost and rightmost pixel of each row: the hull needs no more.
        int[] rowMin = new int[dh];
        int[] rowMax = new int[dh];
        double[] px = new double[2 * dh];
        double[] py = new double[2 * dh];
        java.util.Arrays.fill(rowMin, Integer.MAX_VALUE);
        java.util.Arrays.fill(rowMax, -1);
        List<Region> found = new ArrayList<>();
        int components = 0;
        for (int start = 0; start < prob.length && components < MAX_CANDIDATES; start++) {
            if (prob[start] <= threshold || label[start] != 0) {
                continue;
            }
            components++;
            int top = dh;
            int bottom = -1;
            int sp = 0;
            stack[sp++] = start;
            label[start] = components;
            while (sp > 0) {
                int i = stack[--sp];
                int x = i % dw;
                int y = i / dw;
                top = Math.min(top, y);
                bottom = Math.max(bottom, y);
                rowMin[y] = Math.min(rowMin[y], x);
                rowMax[y] = Math.max(rowMax[y], x);
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= dh) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        if (nx < 0 || nx >= dw) {
                            continue;
                        }
                        int j = ny * dw + nx;
                        if (label[j] == 0 && prob[j] > threshold) {
                            label[j] = components;
                            stack[sp++] = j;
                        }
                    }
                }
            }
            int n = 0;
            for (int r = top; r <= bottom; r++) {
                if (rowMax[r] >= 0) {
                    px[n] = rowMin[r];
                    py[n++] = r;
                    px[n] = rowMax[r];
                    py[n++] = r;
                }
                rowMin[r] = Integer.MAX_VALUE;
                rowMax[r] = -1;
            }
            Quad box = Quad.minAreaRect(px, py, n);
            if (Math.min(box.width(), box.height()) < MIN_SIZE) {
                continue;
            }
            double score = meanInside(prob, dw, dh, box);
            if (score < settings.boxThreshold()) {
                continue;
            }
            double w = box.width();
            double h = box.height();
            double grown = w * h * settings.unclipRatio() / (2 * (w + h));
            Quad unclipped = box.grow(grown);
            if (Math.min(unclipped.width(), unclipped.height()) < MIN_SIZE + 2) {
                continue;
            }
            Quad scaled = unclipped.ordered().scaled(sx, sy);
            double[] p = scaled.p;
            for (int k = 0; k < 8; k += 2) {
                p[k] = Math.max(0, Math.min(width - 1, p[k]));
                p[k + 1] = Math.max(0, Math.min(height - 1, p[k + 1]));
            }
            found.add(new Region(scaled, score));
        }
        if (found.size() > settings.maxLines()) {
            found.sort(Comparator.comparingDouble(Region::score).reversed());
            found = new ArrayList<>(found.subList(0, settings.maxLines()));
        }
        // Reading order; lines whose tops are within 10 px count as one row, as in PaddleOCR.
        found.sort(
                Comparator.comparingDouble((Region r) -> r.quad().y(0))
                        .thenComparingDouble(r -> r.quad().x(0)));
        for (int i = 0; i + 1 < found.size(); i++) {
            for (int j = i; j >= 0; j--) {
                Quad a = found.get(j).quad();
                Quad b = found.get(j + 1).quad();
                if (Math.abs(b.y(0) - a.y(0)) < 10 && b.x(0) < a.x(0)) {
                    Region t = found.get(j);
                    found.set(j, found.get(j + 1));
                    found.set(j + 1, t);
                } else {
                    break;
                }
            }
        }
        return found;
    }

    /** Mean probability of the map's pixels inside {@code box} (PaddleOCR's box_score_fast). */
    private static double meanInside(float[] prob, int dw, int dh, Quad box) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            minX = Math.min(minX, box.x(k));
            maxX = Math.max(maxX, box.x(k));
            minY = Math.min(minY, box.y(k));
            maxY = Math.max(maxY, box.y(k));
        }
        int x0 = Math.max(0, (int) Math.floor(minX));
        int x1 = Math.min(dw - 1, (int) Math.ceil(maxX));
        int y0 = Math.max(0, (int) Math.floor(minY));
        int y1 = Math.min(dh - 1, (int) Math.ceil(maxY));
        double sum = 0;
        int n = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (box.contains(x, y)) {
                    sum += prob[y * dw + x];
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
