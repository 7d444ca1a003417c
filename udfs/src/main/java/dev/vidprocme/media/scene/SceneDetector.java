package dev.vidprocme.media.scene;

import dev.vidprocme.records.Scene;
import dev.vidprocme.records.SceneSignals;
import dev.vidprocme.records.SceneTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds scene transitions in one segment from the thumbnail of every decoded frame, in one pass.
 *
 * <ul>
 *   <li><b>Cuts</b>: the difference to the previous frame is a peak, at least {@value #MIN_CUT}
 *       levels and {@value #CUT_RATIO} times the mean difference of the {@value #WINDOW} frames on
 *       either side (PySceneDetect's AdaptiveDetector rule), so steady motion does not count.
 *   <li><b>Fades</b>: the picture turns flat (black or one colour: the luma deviation falls below
 *       {@value #FLAT_ENTER}) or leaves flatness (rises above {@value #FLAT_LEAVE}) without a cut;
 *       the transition is placed where the change begins (fade-in) or ends (fade-out).
 *   <li><b>Dissolves</b>: frame {@code t} differs much from frame {@code t - span} although no
 *       adjacent difference between them is large, and the frames in between are blends of the two
 *       ends (which motion is not). Stretches that touch a flat picture are fades instead.
 * </ul>
 *
 * <p>Decisions that need frames on both sides of the segment's edges (a cut in its first or last
 * {@value #WINDOW} frames, a fade across the boundary) are left to {@link SceneAssembler}, which
 * sees the neighbouring segment's {@link SceneSignals}. The detector also tells the decoder, frame
 * by frame, which frames represent a new scene ({@link #representative}).
 */
public final class SceneDetector {
    /** Frames each side of a candidate cut that set its local threshold. */
    public static final int WINDOW = 2;

    /** The smallest difference (8-bit levels) that can be a cut or dissolve. */
    public static final double MIN_CUT = 8;

    /** How many times the local mean difference a cut must be. */
    public static final double CUT_RATIO = 3;

    /** Luma deviation under which a picture becomes flat. */
    public static final double FLAT_ENTER = 5;

    /** Luma deviation over which a flat picture stops being flat (hysteresis against flapping). */
    public static final double FLAT_LEAVE = 8;

    /**
     * The shortest scene, in frames: PySceneDetect's default, which also keeps camera flashes and
     * strobes from cutting. Applied over the whole job by {@link SceneAssembler}.
     */
    public static final int MIN_SCENE_FRAMES = 15;

    /** A frame that differs less than this from its predecessor is still (not changing). */
    static final double STILL = 0.25;

    /** A frame this close to its predecessor is stable enough to represent a scene. */
    static final double STABLE = 2.0;

    /** The largest blend residual a dissolve frame may have. */
    static final double MAX_BLEND_RESIDUAL = 0.25;

    /** Difference levels that give a score of 1. */
    static final double FULL_SCORE = 50;

    private static final double MIN_LOCAL_MEAN = 0.5;

    private final long firstFrame;
    private final int span;
    // Ring of the last span + 1 thumbnails, for the dissolve test.
    private final byte[][] ring;
    private byte[] head;
    private byte[] previous;
    private int n;
    private double[] diffs = new double[256];
    private double[] deviations = new double[256];
    private long[] pts = new long[256];
    private boolean[] flats = new boolean[256];
    private double[] blends = new double[256];
    private boolean flat;
    private boolean pending;
    private int waited;

    /**
     * @param firstFrame source frame number of the first frame the detector will see
     * @param fps nominal frame rate; dissolves are looked for over half a second
     */
    public SceneDetector(long firstFrame, double fps) {
        this.firstFrame = firstFrame;
        this.span = Math.max(5, (int) Math.round((fps > 0 ? fps : 25) * 0.5));
        this.ring = new byte[span + 1][];
    }

    /** Feeds the next frame of the segment, in presentation order. */
    public void accept(long ptsUs, byte[] thumb) {
        grow();
        double deviation = Thumbnails.lumaDeviation(thumb);
        if (n == 0) {
            flat = deviation < (FLAT_ENTER + FLAT_LEAVE) / 2;
            head = thumb;
        } else if (flat && deviation > FLAT_LEAVE) {
            flat = false;
        } else if (!flat && deviation < FLAT_ENTER) {
            flat = true;
        }
        double diff = n == 0 ? 0 : Thumbnails.distance(previous, thumb);
        pts[n] = ptsUs;
        diffs[n] = diff;
        deviations[n] = deviation;
        flats[n] = flat;
        ring[n % ring.length] = thumb;
        blends[n] = dissolveAt(n, thumb);
        previous = thumb;
        notice();
        n++;
    }

    /**
     * Whether the frame just fed should be kept to represent its scene: the segment's first frame,
     * then the first stable frame after each transition noticed (or the one half a second after it
     * when the picture never settles). Flat pictures are never chosen.
     */
    public boolean representative() {
        int i = n - 1;
        if (i == 0) {
            return true;
        }
        if (!pending) {
            return false;
        }
        waited++;
        if (!flats[i] && (diffs[i] < STABLE || waited >= span)) {
            pending = false;
            return true;
        }
        return false;
    }

    /** Looks, as frames arrive, for a transition the decoder should pick a frame after. */
    private void notice() {
        int i = n;
        int p = i - WINDOW;
        boolean seen = p >= 1 && isCut(diffs[p], neighbours(diffs, p, 1, i + 1));
        seen |= i > 0 && flats[i - 1] && !flats[i];
        seen |= i > 0 && blends[i - 1] > 0 && blends[i] == 0;
        if (seen) {
            pending = true;
            waited = 0;
        }
    }

    /**
     * The difference between frame {@code t} and {@code t - span} when they are the ends of a
     * dissolve candidate, else 0.
     */
    private double dissolveAt(int t, byte[] thumb) {
        if (t < span || flats[t] || flats[t - span]) {
            return 0;
        }
        for (int j = t - span + 1; j <= t; j++) {
            if (diffs[j] >= MIN_CUT) {
                return 0;
            }
        }
        byte[] a = ring[(t - span) % ring.length];
        double d = Thumbnails.distance(a, thumb);
        if (d < MIN_CUT) {
            return 0;
        }
        for (int m : new int[] {t - span + span / 4, t - span / 2, t - span / 4}) {
            if (Thumbnails.blendResidual(a, ring[m % ring.length], thumb) > MAX_BLEND_RESIDUAL) {
                return 0;
            }
        }
        return d;
    }

    /** The cut rule: a difference that is large and stands out from its neighbours. */
    static boolean isCut(double diff, double[] neighbours) {
        if (diff < MIN_CUT) {
            return false;
        }
        double mean = 0;
        for (double v : neighbours) {
            mean += v;
        }
        mean = neighbours.length == 0 ? 0 : mean / neighbours.length;
        return diff / Math.max(mean, MIN_LOCAL_MEAN) >= CUT_RATIO;
    }

    static double score(double diff) {
        return Math.min(1, diff / FULL_SCORE);
    }

    /** The values at {@code p - WINDOW .. p + WINDOW} (except p) that lie in [from, to). */
    private static double[] neighbours(double[] values, int p, int from, int to) {
        double[] out = new double[2 * WINDOW];
        int k = 0;
        for (int j = p - WINDOW; j <= p + WINDOW; j++) {
            if (j != p && j >= from && j < to) {
                out[k++] = values[j];
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** Decides the transitions inside the segment and sums up what its neighbours need. */
    public SceneSignals finish(int segmentIndex) {
        List<SceneTransition> found = new ArrayList<>();
        List<Integer> cuts = new ArrayList<>();
        // A cut needs WINDOW frames on each side inside the segment; the rest are the assembler's.
        for (int p = 1 + WINDOW; p < n - WINDOW; p++) {
            if (isCut(diffs[p], neighbours(diffs, p, 1, n))) {
                cuts.add(p);
                found.add(transition(p, Scene.CUT, score(diffs[p]), false));
            }
        }
        List<Integer> fades = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (flats[i - 1] == flats[i] || nearCut(cuts, i)) {
                continue;
            }
            int at;
            if (flats[i - 1]) {
                // Fade-in: back to the first frame that moved off the flat picture.
                at = i;
                while (at - 1 >= 1 && diffs[at - 1] > STILL) {
                    at--;
                }
            } else {
                // Fade-out: forward to the first frame of the settled flat picture.
                at = i;
                while (at + 1 < n && diffs[at + 1] > STILL) {
                    at++;
                }
                at = Math.min(at + 1, n - 1);
            }
            fades.add(at);
            fades.add(i);
            found.add(transition(at, Scene.FADE, score(rampHeight(i)), !flats[i - 1]));
        }
        for (int[] run : runs()) {
            int from = run[0] - span;
            int to = run[1];
            if (nearFade(fades, from - span, to + span) || anyFlat(from - span, to + span)) {
                continue;
            }
            double best = 0;
            for (int t = run[0]; t <= run[1]; t++) {
                best = Math.max(best, blends[t]);
            }
            int middle = (run[0] + run[1]) / 2 - span / 2;
            found.add(transition(Math.max(middle, 1), Scene.DISSOLVE, score(best), false));
        }
        found.sort((a, b) -> Long.compare(a.frame(), b.frame()));
        int edge = Math.min(n, 2 * WINDOW + 1);
        int tailFrom = n - edge;
        return new SceneSignals(
                segmentIndex,
                firstFrame,
                n,
                found,
                n == 0 ? new byte[0] : head,
                n == 0 ? new byte[0] : previous,
                Arrays.copyOfRange(pts, 0, edge),
                Arrays.copyOfRange(pts, tailFrom, n),
                Arrays.copyOfRange(diffs, 0, edge),
                Arrays.copyOfRange(diffs, tailFrom, n),
                n > 0 && flats[0],
                n > 0 && flats[n - 1]);
    }

    /** How far the luma deviation moves within half a second of a flatness change. */
    private double rampHeight(int i) {
        double lo = deviations[i];
        double hi = deviations[i];
        for (int j = Math.max(0, i - span); j < Math.min(n, i + span); j++) {
            lo = Math.min(lo, deviations[j]);
            hi = Math.max(hi, deviations[j]);
        }
        return hi - lo;
    }

    /** Runs of consecutive dissolve candidates (gaps of up to two frames joined). */
    private List<int[]> runs() {
        List<int[]> runs = new ArrayList<>();
        int[] open = null;
        for (int t = 0; t < n; t++) {
            if (blends[t] == 0) {
                continue;
            }
            if (open != null && t - open[1] <= 2) {
                open[1] = t;
            } else {
                open = new int[] {t, t};
                runs.add(open);
            }
        }
        return runs;
    }

    private static boolean nearCut(List<Integer> cuts, int i) {
        return cuts.stream().anyMatch(c -> Math.abs(c - i) <= WINDOW);
    }

    private static boolean nearFade(List<Integer> fades, int from, int to) {
        return fades.stream().anyMatch(f -> f >= from && f <= to);
    }

    private boolean anyFlat(int from, int to) {
        for (int j = Math.max(0, from); j < Math.min(n, to + 1); j++) {
            if (flats[j]) {
                return true;
            }
        }
        return false;
    }

    private SceneTransition transition(int i, String kind, double score, boolean intoFlat) {
        return new SceneTransition(firstFrame + i, pts[i], kind, score, intoFlat);
    }

    private void grow() {
        if (n < diffs.length) {
            return;
        }
        int size = diffs.length * 2;
        diffs = Arrays.copyOf(diffs, size);
        deviations = Arrays.copyOf(deviations, size);
        pts = Arrays.copyOf(pts, size);
        flats = Arrays.copyOf(flats, size);
        blends = Arrays.copyOf(blends, size);
    }
}
