package dev.vidprocme.analysis;

import dev.vidprocme.records.DominantColour;
import dev.vidprocme.records.FrameStatistics;
import java.util.ArrayList;
import java.util.List;

/**
 * Model-free frame measurements: brightness, sharpness, dominant colours and motion. Everything is
 * computed on one box-filtered copy {@value #WORK_WIDTH} pixels wide, so the numbers compare across
 * resolutions; a 720p frame costs about 5 ms of CPU, about what decoding it costs. Stateless and
 * thread-safe.
 */
public final class FrameStats {
    /** Width of the working copy that sharpness and colours are measured on. */
    public static final int WORK_WIDTH = 320;

    /** Side of the square luma thumbnail motion is measured on. */
    public static final int THUMB_SIZE = 64;

    /** How many dominant colours are reported at most. */
    public static final int MAX_COLOURS = 3;

    /** Colours covering less of the frame than this are not reported as dominant. */
    static final double MIN_COLOUR_SHARE = 0.02;

    // 3 bits per channel: 512 bins, coarse enough that noise and gradients land in one bin.
    private static final int BITS = 3;

    private FrameStats() {}

    /**
     * Measures {@code image}; {@code previous} is the thumbnail of the segment's previous analysis
     * frame ({@link #thumbnail}), or null for its first, which gets a null motion.
     */
    public static FrameStatistics measure(RgbImage image, LumaThumbnail previous) {
        Work work = Work.of(image);
        Double motion = previous == null ? null : motion(previous, thumbnail(work));
        return new FrameStatistics(
                brightness(work), sharpness(work), dominantColours(work), motion);
    }

    /** What to keep of this frame to measure the motion of the next one. */
    public static LumaThumbnail thumbnail(RgbImage image) {
        return thumbnail(Work.of(image));
    }

    /** Mean absolute luma difference of two thumbnails, 0..1. */
    public static double motion(LumaThumbnail previous, LumaThumbnail current) {
        byte[] a = previous.luma();
        byte[] b = current.luma();
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / (255.0 * a.length);
    }

    private static double brightness(Work work) {
        double sum = 0;
        for (float v : work.luma) {
            sum += v;
        }
        return sum / work.luma.length / 255.0;
    }

    private static double sharpness(Work work) {
        int w = work.width;
        int h = work.height;
        if (w < 3 || h < 3) {
            return 0;
        }
        float[] y = work.luma;
        double sum = 0;
        double sumSq = 0;
        for (int r = 1; r < h - 1; r++) {
            int row = r * w;
            for (int c = 1; c < w - 1; c++) {
                int i = row + c;
                double lap = y[i - 1] + y[i + 1] + y[i - w] + y[i + w] - 4 * y[i];
                sum += lap;
                sumSq += lap * lap;
            }
        }
        long n = (long) (w - 2) * (h - 2);
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    private static List<DominantColour> dominantColours(Work work) {
        int bins = 1 << (3 * BITS);
        int[] count = new int[bins];
        long[] red = new long[bins];
        long[] green = new long[bins];
        long[] blue = new long[bins];
        byte[] rgb = work.rgb;
        int shift = 8 - BITS;
        for (int o = 0; o < rgb.length; o += 3) {
            int r = rgb[o] & 0xff;
            int g = rgb[o + 1] & 0xff;
            int b = rgb[o + 2] & 0xff;
            int bin = (r >> shift) << (2 * BITS) | (g >> shift) << BITS | (b >> shift);
            count[bin]++;
            red[bin] += r;
            green[bin] += g;
            blue[bin] += b;
        }
        int pixels = rgb.length / 3;
        List<DominantColour> colours = new ArrayList<>(MAX_COLOURS);
        boolean[] taken = new boolean[bins];
        for (int k = 0; k < MAX_COLOURS; k++) {
            int best = -1;
            for (int i = 0; i < bins; i++) {
                if (!taken[i] && count[i] > 0 && (best < 0 || count[i] > count[best])) {
                    best = i;
                }
            }
            if (best < 0 || count[best] < MIN_COLOUR_SHARE * pixels) {
                break;
            }
            taken[best] = true;
            int n = count[best];
            // The mean of the bin's pixels, not the bin's centre: a pure red stays #ff0000.
            String hex =
                    String.format(
                            "#%02x%02x%02x",
                            Math.round((float) red[best] / n),
                            Math.round((float) green[best] / n),
                            Math.round((float) blue[best] / n));
            colours.add(new DominantColour(hex, (double) n / pixels));
        }
        return colours;
    }

    private static LumaThumbnail thumbnail(Work work) {
        int s = THUMB_SIZE;
        byte[] out = new byte[s * s];
        for (int ty = 0; ty < s; ty++) {
            int y0 = ty * work.height / s;
            int y1 = Math.max(y0 + 1, (ty + 1) * work.height / s);
            for (int tx = 0; tx < s; tx++) {
                int x0 = tx * work.width / s;
                int x1 = Math.max(x0 + 1, (tx + 1) * work.width / s);
                float sum = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        sum += work.luma[y * work.width + x];
                    }
                }
                out[ty * s + tx] = (byte) Math.round(sum / ((y1 - y0) * (x1 - x0)));
            }
        }
        return new LumaThumbnail(out);
    }

    /** The box-filtered working copy: RGB bytes and BT.601 luma (0..255) of the same pixels. */
    private record Work(int width, int height, byte[] rgb, float[] luma) {
        static Work of(RgbImage image) {
            int sw = image.width();
            int sh = image.height();
            int w = Math.min(WORK_WIDTH, sw);
            int h = Math.max(1, (int) Math.round((double) sh * w / sw));
            byte[] src = image.rgb();
            byte[] rgb = new byte[3 * w * h];
            float[] luma = new float[w * h];
            int[] xs = new int[w + 1];
            for (int x = 0; x <= w; x++) {
                xs[x] = (int) ((long) x * sw / w);
            }
            int[] sums = new int[3 * w];
            for (int y = 0; y < h; y++) {
                int y0 = (int) ((long) y * sh / h);
                int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * sh / h));
                java.util.Arrays.fill(sums, 0);
                for (int sy = y0; sy < y1; sy++) {
                    int row = 3 * sy * sw;
                    for (int x = 0; x < w; x++) {
                        int a = row + 3 * xs[x];
                        int b = row + 3 * Math.max(xs[x] + 1, xs[x + 1]);
                        int r = 0;
                        int g = 0;
                        int bl = 0;
                        for (int p = a; p < b; p += 3) {
                            r += src[p] & 0xff;
                            g += src[p + 1] & 0xff;
                            bl += src[p + 2] & 0xff;
                        }
                        sums[3 * x] += r;
                        sums[3 * x + 1] += g;
                        sums[3 * x + 2] += bl;
                    }
                }
                for (int x = 0; x < w; x++) {
                    int area = (y1 - y0) * (Math.max(xs[x] + 1, xs[x + 1]) - xs[x]);
                    float r = (float) sums[3 * x] / area;
                    float g = (float) sums[3 * x + 1] / area;
                    float b = (float) sums[3 * x + 2] / area;
                    int o = 3 * (y * w + x);
                    rgb[o] = (byte) Math.round(r);
                    rgb[o + 1] = (byte) Math.round(g);
                    rgb[o + 2] = (byte) Math.round(b);
                    luma[y * w + x] = 0.299f * r + 0.587f * g + 0.114f * b;
                }
            }
            return new Work(w, h, rgb, luma);
        }
    }
}
