package dev.vidprocme.analysis;

import static dev.vidprocme.analysis.TestImages.draw;
import static dev.vidprocme.analysis.TestImages.editDistance;
import static dev.vidprocme.analysis.TestImages.normalise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.analysis.TestImages.Drawn;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.TextLine;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OcrEngineTest {
    private static OcrEngine engine;

    @TempDir static Path tmp;

    @BeforeAll
    static void load() throws Exception {
        engine = OcrEngine.shared(OcrSettings.defaults());
    }

    @AfterAll
    static void release() {
        engine.close();
    }

    static Stream<Arguments> renderedText() {
        return Stream.of(
                Arguments.of("Breaking News Tonight", Font.SANS_SERIF, Font.BOLD, 48, false),
                Arguments.of("Quarterly results 2024", Font.SERIF, Font.PLAIN, 32, false),
                Arguments.of("ERROR CODE 4711", Font.MONOSPACED, Font.PLAIN, 24, false),
                Arguments.of("Subtitles on noise", Font.SANS_SERIF, Font.BOLD, 40, true),
                Arguments.of("Welcome to Berlin", Font.SERIF, Font.BOLD, 72, true));
    }

    @ParameterizedTest(name = "{0} ({1} {3}px, noisy background: {4})")
    @MethodSource("renderedText")
    void readsRenderedTextWhereItWasDrawn(
            String text, String family, int style, int size, boolean noisy) throws Exception {
        BufferedImage image =
                noisy
                        ? TestImages.noise(1280, 720, size)
                        : TestImages.plain(1280, 720, Color.WHITE);
        Drawn drawn =
                draw(
                        image,
                        text,
                        new Font(family, style, size),
                        140,
                        400,
                        noisy ? Color.WHITE : Color.BLACK,
                        noisy ? Color.BLACK : null);

        List<TextLine> lines = engine.read(RgbImage.of(image));

        assertReads(lines, drawn);
    }

    @Test
    void readsSeveralLinesInReadingOrder() throws Exception {
        BufferedImage image = TestImages.plain(960, 540, new Color(20, 40, 90));
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 36);
        Drawn first = draw(image, "First line here", font, 60, 80, Color.WHITE, null);
        Drawn second = draw(image, "Second line below", font, 60, 300, Color.YELLOW, null);

        List<TextLine> lines = engine.read(RgbImage.of(image));

        assertThat(lines).hasSize(2);
        assertReads(lines.subList(0, 1), first);
        assertReads(lines.subList(1, 2), second);
    }

    @Test
    void readsSubtitleOverAFrameOfASyntheticClip() throws Exception {
        Path clip = SyntheticClips.testPattern(tmp.resolve("pattern.mp4"), 1, 25, 1280, 720);
        BufferedImage frame;
        try (JpegDecoder decoder = new JpegDecoder()) {
            frame = decoder.decode(TestImages.frameJpeg(clip, 0.5, tmp)).toBufferedImage();
        }
        Drawn drawn =
                draw(
                        frame,
                        "The quick brown fox",
                        new Font(Font.SANS_SERIF, Font.BOLD, 44),
                        300,
                        600,
                        Color.WHITE,
                        Color.BLACK);

        List<TextLine> lines = engine.read(RgbImage.of(frame));

        // testsrc2 prints its own timestamp and a counter in the top-left corner.
        assertThat(lines).extracting(TextLine::text).contains("00:00:00.520");
        assertReads(lines.stream().filter(l -> l.minY() > 360).toList(), drawn);
    }

    @Test
    void blankImageHasNoText() throws Exception {
        assertThat(engine.read(RgbImage.of(TestImages.plain(1280, 720, Color.GRAY)))).isEmpty();
    }

    @Test
    void noiseHasNoText() throws Exception {
        assertThat(engine.read(RgbImage.of(TestImages.noise(640, 360, 7)))).isEmpty();
    }

    @Test
    void readsBurnedInCounterOfARealVideo() throws Exception {
        Path video = TestImages.sharedVideo("pyscenedetect__counter.mp4");
        RgbImage frame;
        try (JpegDecoder decoder = new JpegDecoder()) {
            frame = decoder.decode(TestImages.frameJpeg(video, 2.0, tmp));
        }

        List<TextLine> lines = engine.read(frame);

        // The clip prints its own frame number and timestamp in the lower right.
        assertThat(lines).extracting(l -> normalise(l.text())).contains("frame=21", "pts=2.0s");
        assertThat(lines)
                .allSatisfy(
                        l -> {
                            assertThat(l.minX()).isGreaterThan(frame.width() / 2);
                            assertThat(l.minY()).isGreaterThan(frame.height() / 2);
                            assertThat(l.confidence()).isBetween(0.5, 1.0);
                        });
    }

    @Test
    void readsCopyrightLineOfARealVideo() throws Exception {
        Path video = TestImages.sharedVideo("pyscenedetect__testvideo.mp4");
        RgbImage frame;
        try (JpegDecoder decoder = new JpegDecoder()) {
            frame = decoder.decode(TestImages.frameJpeg(video, 2.0, tmp));
        }

        List<TextLine> lines = engine.read(frame);

        assertThat(lines).extracting(l -> normalise(l.text())).contains("www.bcastell.com");
        assertThat(lines)
                .anySatisfy(
                        l ->
                                assertThat(
                                                editDistance(
                                                        normalise(l.text()),
                                                        "copyright©2013brandoncastellano"))
                                        .isLessThanOrEqualTo(3));
    }

    @Test
    void sharedEngineIsLoadedOnceAndFreedByTheLastHandle() throws Exception {
        OcrSettings settings = OcrSettings.defaults().withMaxSideLen(640);
        try (OcrEngine a = OcrEngine.shared(settings)) {
            try (OcrEngine b = OcrEngine.shared(settings)) {
                assertThat(OcrEngine.sharedReferences(settings)).isEqualTo(2);
            }
            assertThat(OcrEngine.sharedReferences(settings)).isEqualTo(1);
            // Closing a handle twice must not take another handle's reference.
            a.close();
            a.close();
            assertThat(OcrEngine.sharedReferences(settings)).isZero();
            assertThatThrownBy(() -> a.read(RgbImage.of(TestImages.plain(64, 64, Color.WHITE))))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void concurrentReadsAgree() throws Exception {
        BufferedImage image = TestImages.plain(640, 360, Color.WHITE);
        draw(
                image,
                "Parallel reading",
                new Font(Font.SANS_SERIF, Font.BOLD, 36),
                40,
                150,
                Color.BLACK,
                null);
        RgbImage rgb = RgbImage.of(image);
        List<TextLine> expected = engine.read(rgb);

        List<List<TextLine>> results =
                Stream.generate(() -> rgb)
                        .limit(4)
                        .parallel()
                        .map(
                                i -> {
                                    try {
                                        return engine.read(i);
                                    } catch (OcrException e) {
                                        throw new IllegalStateException(e);
                                    }
                                })
                        .toList();

        assertThat(expected).isNotEmpty();
        assertThat(results).allSatisfy(r -> assertThat(r).isEqualTo(expected));
    }

    @Test
    void rejectsOutOfRangeSettingsNamingThem() {
        assertThatThrownBy(() -> OcrSettings.defaults().withIntraOpThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intraOpThreads")
                .hasMessageContaining("1.0 .. 64.0");
    }

    /** Exactly one line, read as drawn (up to 2 edits), whose box sits on the drawn text. */
    private static void assertReads(List<TextLine> lines, Drawn drawn) {
        assertThat(lines).as("lines read").hasSize(1);
        TextLine line = lines.get(0);
        assertThat(editDistance(normalise(line.text()), normalise(drawn.text())))
                .as("edits from '%s' to '%s'", line.text(), drawn.text())
                .isLessThanOrEqualTo(2);
        assertThat(line.confidence()).isBetween(0.5, 1.0);
        Rectangle d = drawn.bounds();
        Rectangle box =
                new Rectangle(
                        line.minX(),
                        line.minY(),
                        line.maxX() - line.minX(),
                        line.maxY() - line.minY());
        Rectangle intersection = box.intersection(d);
        assertThat(intersection.isEmpty()).as("box %s meets drawn %s", box, d).isFalse();
        double iou =
                intersection.width
                        * (double) intersection.height
                        / (box.width * (double) box.height
                                + d.width * (double) d.height
                                - intersection.width * (double) intersection.height);
        assertThat(iou).as("overlap of box %s and drawn text %s", box, d).isGreaterThan(0.5);
    }
}
