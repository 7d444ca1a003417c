package dev.vidprocme.analysis;

/**
 * A four-cornered region of an image, corners in order around it (clockwise from top-left once
 * {@link #ordered}), with the geometry the detector's post-processing needs: the minimum-area
 * rotated rectangle of a point set (OpenCV's {@code minAreaRect}, by rotating calipers over the
 * convex hull) and growing a rectangle.
 */
final class Quad {
    /** x0, y0, x1, y1, x2, y2, x3, y3. */
    final double[] p;

    Quad(double[] p) {
        this.p = p;
    }

    double x(int i) {
        return p[2 * i];
    }

    double y(int i) {
        return p[2 * i + 1];
    }

    /** Length of the top edge (corner 0 to 1). */
    double width() {
        return Math.hypot(x(1) - x(0), y(1) - y(0));
    }

    /** Length of the right edge (corner 1 to 2). */
    double height() {
        return Math.hypot(x(2) - x(1), y(2) - y(1));
    }

    /**
     * The same rectangle grown by {@code d} on every side. Only valid for rectangles, which is what
     * {@link #minAreaRect} returns; for them it equals PaddleOCR's polygon offset (unclip) followed
     * by another minimum-area rectangle.
     */
    Quad grow(double d) {
        double cx = (x(0) + x(2)) / 2;
        double cy = (y(0) + y(2)) / 2;
        double w = width();
        double h = height();
        double ux = w == 0 ? 1 : (x(1) - x(0)) / w;
        double uy = w == 0 ? 0 : (y(1) - y(0)) / w;
        // The perpendicular pointing from edge 0-1 towards corner 2 keeps the corner order.
        double vx = -uy;
        double vy = ux;
        if ((x(2) - x(1)) * vx + (y(2) - y(1)) * vy < 0) {
            vx = -vx;
            vy = -vy;
        }
        double a = w / 2 + d;
        double b = h / 2 + d;
        return new Quad(
                new double[] {
                    cx - a * ux - b * vx,
                    cy - a * uy - b * vy,
                    cx + a * ux - b * vx,
                    cy + a * uy - b * vy,
                    cx + a * ux + b * vx,
                    cy + a * uy + b * vy,
                    cx - a * ux + b * vx,
                    cy - a * uy + b * vy
                });
    }

    /** Whether the point lies inside or on this convex quadrilateral. */
    boolean contains(double px, double py) {
        boolean positive = false;
        boolean negative = false;
        for (int i = 0; i < 4; i++) {
            int j = (i + 1) % 4;
            double cross = (x(j) - x(i)) * (py - y(i)) - (y(j) - y(i)) * (px - x(i));
            positive |= cross > 0;
            negative |= cross < 0;
        }
        return !(positive && negative);
    }

    /**
     * Corners reordered the way PaddleOCR's {@code get_mini_boxes} does: of the two leftmost, the
     * upper is top-left; of the two rightmost, the upper is top-right.
     */
    Quad ordered() {
        Integer[] idx = {0, 1, 2, 3};
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(x(a), x(b)));
        int tl = y(idx[0]) <= y(idx[1]) ? idx[0] : idx[1];
        int bl = tl == idx[0] ? idx[1] : idx[0];
        int tr = y(idx[2]) <= y(idx[3]) ? idx[2] : idx[3];
        int br = tr == idx[2] ? idx[3] : idx[2];
        return new Quad(new double[] {x(tl), y(tl), x(tr), y(tr), x(br), y(br), x(bl), y(bl)});
    }

    /** The same corners with every x multiplied by {@code sx} and y by {@code sy}. */
    Quad scaled(double sx, double sy) {
        double[] q = p.clone();
        for (int i = 0; i < 8; i += 2) {
            q[i] *= sx;
            q[i + 1] *= sy;
        }
        return new Quad(q);
    }

    /**
     * The minimum-area rectangle around the first {@code n} points, corners in order around it (not
     * yet {@link #ordered}); null for fewer than one point.
     */
    static Quad minAreaRect(double[] xs, double[] ys, int n) {
        if (n < 1) {
            return null;
        }
        int[] hull = hull(xs, ys, n);
        int h = hull.length;
        double bestArea = Double.MAX_VALUE;
        double[] best = null;
        for (int i = 0; i < h; i++) {
            int a = hull[i];
            int b = hull[(i + 1) % h];
            double ex = xs[b] - xs[a];
            double ey = ys[b] - ys[a];
            double len = Math.hypot(ex, ey);
            if (len == 0) {
                continue;
            }
            double ux = ex / len;
            double uy = ey / len;
            double minU = Double.MAX_VALUE;
            double maxU = -Double.MAX_VALUE;
            double minV = Double.MAX_VALUE;
            double maxV = -Double.MAX_VALUE;
            for (int k : hull) {
                double u = xs[k] * ux + ys[k] * uy;
                double v = -xs[k] * uy + ys[k] * ux;
                minU = Math.min(minU, u);
                maxU = Math.max(maxU, u);
                minV = Math.min(minV, v);
                maxV = Math.max(maxV, v);
            }
            double area = (maxU - minU) * (maxV - minV);
            if (area < bestArea) {
                bestArea = area;
                best =
                        new double[] {
                            minU * ux - minV * uy, minU * uy + minV * ux,
                            maxU * ux - minV * uy, maxU * uy + minV * ux,
                            maxU * ux - maxV * uy, maxU * uy + maxV * ux,
                            minU * ux - maxV * uy, minU * uy + maxV * ux
                        };
            }
        }
        if (best == null) {
            // Every point is the same point.
            double x = xs[hull[0]];
            double y = ys[hull[0]];
            return new Quad(new double[] {x, y, x, y, x, y, x, y});
        }
        return new Quad(best);
    }

    /** Indices of the convex hull (Andrew's monotone chain), counter-clockwise, no repeats. */
    private static int[] hull(double[] xs, double[] ys, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(
                order,
                (a, b) ->
                        xs[a] != xs[b]
                                ? Double.compare(xs[a], xs[b])
                                : Double.compare(ys[a], ys[b]));
        int[] out = new int[2 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            while (k >= 2 && cross(xs, ys, out[k - 2], out[k - 1], order[i]) <= 0) {
                k--;
            }
            out[k++] = order[i];
        }
        for (int i = n - 2, lower = k + 1; i >= 0; i--) {
            while (k >= lower && cross(xs, ys, out[k - 2], out[k - 1], order[i]) <= 0) {
                k--;
            }
            out[k++] = order[i];
        }
        return java.util.Arrays.copyOf(out, Math.max(1, k - 1));
    }

    private static double cross(double[] xs, double[] ys, int o, int a, int b) {
        return (xs[a] - xs[o]) * (ys[b] - ys[o]) - (ys[a] - ys[o]) * (xs[b] - xs[o]);
    }
}
