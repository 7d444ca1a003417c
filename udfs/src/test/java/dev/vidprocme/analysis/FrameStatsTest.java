package dev.vidprocme.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vidprocme.records.DominantColour;
import dev.vidprocme.records.FrameStatistics;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameStatsTest {
    @Test
    void darkFrameIsLessBrightThanABrightOne() {
        FrameStatistics dark = FrameStats.measure(image(Color.BLACK), null);
        FrameStatistics grey = FrameStats.measure(image(new Color(128, 128, 128)), null);
        FrameStatistics white = FrameStats.measure(image(Color.WHITE), null);

        assertThat(dark.brightness()).isCloseTo(0.0, within(1e-6));
        assertThat(grey.brightness()).isCloseTo(128 / 255.0, within(1e-3));
        assertThat(white.brightness()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void blurredFrameIsLessSharpThanTheSameFrameSharp() {
        BufferedImage sharp = TestImages.noise(1280, 720, 3);
        float[] box = new float[81];
        Arrays.fill(box, 1 / 81f);
        BufferedImage blurred =
                new ConvolveOp(new Kernel(9, 9, box), ConvolveOp.EDGE_NO_OP, null)
                        .filter(sharp, null);

        double sharpness = FrameStats.measure(RgbImage.of(sharp), null).sharpness();
        double blurriness = FrameStats.measure(RgbImage.of(blurred), null).sharpness();
        double flat = FrameStats.measure(image(Color.GRAY), null).sharpness();

        assertThat(flat).isZero();
        assertThat(blurriness).isGreaterThan(flat);
        assertThat(sharpness).isGreaterThan(4 * blurriness);
    }

    @Test
    void twoColourFrameHasBothAsDominantWithTheirShares() {
        BufferedImage image = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 960, 720);
        g.setColor(Color.BLUE);
        g.fillRect(960, 0, 320, 720);
        g.dispose();

        FrameStatistics stats = FrameStats.measure(RgbImage.of(image), null);

        assertThat(stats.colours())
                .extracting(DominantColour::hex)
                .containsExactly("#ff0000", "#0000ff");
        assertThat(stats.colours().get(0).share()).isCloseTo(0.75, within(0.01));
        assertThat(stats.colours().get(1).share()).isCloseTo(0.25, within(0.01));
    }

    @Test
    void reportsAtMostThreeColoursLargestFirst() {
        FrameStatistics stats =
                FrameStats.measure(RgbImage.of(TestImages.noise(640, 360, 1)), null);

        assertThat(stats.colours()).hasSizeLessThanOrEqualTo(FrameStats.MAX_COLOURS);
        assertThat(stats.colours())
                .extracting(DominantColour::share)
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void identicalFramesHaveNoMotionAndAShiftedFrameHasSome() {
        BufferedImage first = TestImages.noise(1280, 720, 11);
        BufferedImage shifted = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = shifted.createGraphics();
        g.drawImage(first, 40, 0, null);
        g.dispose();
        BufferedImage bars = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
        g = bars.createGraphics();
        for (int x = 0; x < 1280; x += 160) {
            g.setColor(Color.WHITE);
            g.fillRect(x, 0, 80, 720);
        }
        g.dispose();
        BufferedImage barsShifted = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
        g = barsShifted.createGraphics();
        g.drawImage(bars, 40, 0, null);
        g.dispose();

        LumaThumbnail previous = FrameStats.thumbnail(RgbImage.of(bars));

        assertThat(FrameStats.measure(RgbImage.of(bars), previous).motion()).isZero();
        assertThat(FrameStats.measure(RgbImage.of(barsShifted), previous).motion())
                .isGreaterThan(0.2);
        assertThat(FrameStats.measure(RgbImage.of(first), null).motion()).isNull();
        assertThat(
                        FrameStats.motion(
                                FrameStats.thumbnail(RgbImage.of(first)),
                                FrameStats.thumbnail(RgbImage.of(shifted))))
                .isGreaterThan(0.0);
    }

    @Test
    void framesOfDifferentSizesStillCompareForMotion() {
        LumaThumbnail small = FrameStats.thumbnail(image(Color.WHITE, 320, 180));
        LumaThumbnail large = FrameStats.thumbnail(image(Color.WHITE, 1920, 1080));

        assertThat(FrameStats.motion(small, large)).isZero();
    }

    private static RgbImage image(Color colour) {
        return image(colour, 1280, 720);
    }

    private static RgbImage image(Color colour, int width, int height) {
        return RgbImage.of(TestImages.plain(width, height, colour));
    }
}
