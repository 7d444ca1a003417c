package dev.vidprocme.analysis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vidprocme.media.SyntheticClips;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Pictures for the analyser tests: text drawn with Java2D, noise, frames of real videos. */
final class TestImages {
    private TestImages() {}

    /** Where a string was drawn: its pixel bounds. */
    record Drawn(String text, Rectangle bounds) {}

    static BufferedImage plain(int width, int height, Color colour) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** Uniform RGB noise: no structure a detector could take for text. */
    static BufferedImage noise(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    /**
     * Draws {@code text} with its top-left at {@code x, y}, filled with {@code fill} and, when
     * {@code outline} is not null, edged with it as subtitles are.
     */
    static Drawn draw(
            BufferedImage image, String text, Font font, int x, int y, Color fill, Color outline) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        TextLayout layout = new TextLayout(text, font, g.getFontRenderContext());
        Shape shape =
                layout.getOutline(AffineTransform.getTranslateInstance(x, y + layout.getAscent()));
        if (outline != null) {
            g.setColor(outline);
            g.setStroke(new BasicStroke(Math.max(2f, font.getSize2D() / 12f)));
            g.draw(shape);
        }
        g.setColor(fill);
        g.fill(shape);
        g.dispose();
        return new Drawn(text, shape.getBounds());
    }

    /** Lower case with every space removed, so spacing and case do not count as misreadings. */
    static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    }

    /** Levenshtein distance. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** A shared test video, or a skipped test saying it is absent. */
    static Path sharedVideo(String name) {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/media/videos").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "shared test video " + name + " is absent (../shared/media/videos)");
        return null;
    }

    /** One frame of {@code video} at {@code seconds}, as the JPEG the pipeline would store. */
    static byte[] frameJpeg(Path video, double seconds, Path dir) throws IOException {
        Path out = dir.resolve("frame-" + System.nanoTime() + ".jpg");
        SyntheticClips.run(
                out,
                List.of(
                        "-ss",
                        String.valueOf(seconds),
                        "-i",
                        video.toString(),
                        "-frames:v",
                        "1",
                        "-q:v",
                        "3"));
        return Files.readAllBytes(out);
    }
}
