package dev.vidprocme.media.scene;

/**
 * Arithmetic on detector thumbnails: three planes (Y, U, V) of {@value #WIDTH}x{@value #HEIGHT}
 * unsigned bytes each.
 */
public final class Thumbnails {
    public static final int WIDTH = 32;
    public static final int HEIGHT = 18;
    public static final int PLANE = WIDTH * HEIGHT;
    public static final int SIZE = 3 * PLANE;

    private Thumbnails() {}

    /** Mean absolute difference over all three planes, in 8-bit levels (0..255). */
    public static double distance(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < SIZE; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return (double) sum / SIZE;
    }

    /** Standard deviation of the luma plane: near 0 for black or any flat colour. */
    public static double lumaDeviation(byte[] t) {
        long sum = 0;
        long squares = 0;
        for (int i = 0; i < PLANE; i++) {
            int v = t[i] & 0xff;
            sum += v;
            squares += (long) v * v;
        }
        double mean = (double) sum / PLANE;
        return Math.sqrt(Math.max(0, (double) squares / PLANE - mean * mean));
    }

    /**
     * How far {@code m} is from the best blend of {@code a} and {@code b} ({@code a + alpha (b -
     * a)}, alpha in 0..1), as a share of the distance between {@code a} and {@code b}. A frame
     * inside a dissolve (or a fade) is such a blend and scores near 0; motion does not.
     */
    public static double blendResidual(byte[] a, byte[] m, byte[] b) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < SIZE; i++) {
            int ab = (b[i] & 0xff) - (a[i] & 0xff);
            dot += (double) ((m[i] & 0xff) - (a[i] & 0xff)) * ab;
            norm += (double) ab * ab;
        }
        if (norm == 0) {
            return 1;
        }
        double alpha = Math.max(0, Math.min(1, dot / norm));
        double residual = 0;
        long span = 0;
        for (int i = 0; i < SIZE; i++) {
            int ab = (b[i] & 0xff) - (a[i] & 0xff);
            residual += Math.abs((m[i] & 0xff) - (a[i] & 0xff) - alpha * ab);
            span += Math.abs(ab);
        }
        return span == 0 ? 1 : residual / span;
    }
}
