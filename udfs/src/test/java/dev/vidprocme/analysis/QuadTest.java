package dev.vidprocme.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class QuadTest {
    @Test
    void minAreaRectOfARotatedRectangleIsThatRectangle() {
        // Points filling a 100 x 20 rectangle turned by 10 degrees about (200, 100).
        double angle = Math.toRadians(10);
        int n = 0;
        double[] xs = new double[21 * 101];
        double[] ys = new double[21 * 101];
        for (int u = 0; u <= 100; u++) {
            for (int v = 0; v <= 20; v++) {
                double x = u - 50;
                double y = v - 10;
                xs[n] = 200 + x * Math.cos(angle) - y * Math.sin(angle);
                ys[n++] = 100 + x * Math.sin(angle) + y * Math.cos(angle);
            }
        }

        Quad rect = Quad.minAreaRect(xs, ys, n).ordered();

        assertThat(Math.max(rect.width(), rect.height())).isCloseTo(100, within(1e-6));
        assertThat(Math.min(rect.width(), rect.height())).isCloseTo(20, within(1e-6));
        assertThat(rect.x(0)).isLessThan(rect.x(1));
        assertThat(rect.y(0)).isLessThan(rect.y(3));
    }

    @Test
    void growingARectangleAddsTheDistanceOnEverySide() {
        Quad rect = new Quad(new double[] {10, 10, 110, 10, 110, 30, 10, 30});

        Quad grown = rect.grow(5);

        assertThat(grown.width()).isCloseTo(110, within(1e-9));
        assertThat(grown.height()).isCloseTo(30, within(1e-9));
        assertThat(grown.x(0)).isCloseTo(5, within(1e-9));
        assertThat(grown.y(0)).isCloseTo(5, within(1e-9));
        assertThat(grown.contains(60, 20)).isTrue();
        assertThat(grown.contains(60, 40)).isFalse();
    }

    @Test
    void pointsOnOneRowGiveAFlatRectangle() {
        Quad rect = Quad.minAreaRect(new double[] {1, 5, 9}, new double[] {4, 4, 4}, 3);

        assertThat(rect.width() * rect.height()).isZero();
        assertThat(Math.max(rect.width(), rect.height())).isCloseTo(8, within(1e-9));
    }
}
