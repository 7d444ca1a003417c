package dev.vidprocme.local;

import dev.vidprocme.media.SyntheticClips;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The sample video of {@code ./vidproc run}: 5 s at 30 fps in three shots joined by hard cuts, so
 * the demo shows scene detection, and a title card in the middle with words for OCR and search to
 * find.
 */
final class DemoClip {
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int FPS = 30;

    /** Frames in the clip: 60 of a test pattern, 45 of the title card, 45 of colour bars. */
    static final int FRAMES = 150;

    /** Where the cuts are, in ms from the first frame. */
    static final List<Long> CUTS_MS = List.of(2000L, 3500L);

    /**
     * The title card's lines, one word each: after JPEG compression PP-OCRv4 often reads a single
     * space between words as none, and the demo should show the words it searches for.
     */
    static final List<String> TITLE = List.of("vidprocme", "demo");

    private DemoClip() {}

    /** Writes the clip to {@code out} with the ffmpeg that ships in the FFmpeg jar. */
    static Path make(Path out) throws IOException {
        Path card = out.resolveSibling("title-card.png");
        Files.createDirectories(out.toAbsolutePath().getParent());
        List<String> args = new ArrayList<>();
        args.addAll(lavfi("testsrc2", 2));
        boolean titled = writeTitleCard(card);
        if (titled) {
            args.addAll(
                    List.of(
                            "-loop",
                            "1",
                            "-framerate",
                            String.valueOf(FPS),
                            "-t",
                            "1.5",
                            "-i",
                            card.toString()));
        } else {
            // A JDK without fonts cannot draw the card; the clip keeps its cuts without the words.
            args.addAll(lavfi("rgbtestsrc", 1.5));
        }
        args.addAll(lavfi("smptebars", 1.5));
        String same = "scale=" + WIDTH + ":" + HEIGHT + ",setsar=1,fps=" + FPS + ",format=yuv420p";
        args.addAll(
                List.of(
                        "-filter_complex",
                        "[0:v]"
                                + same
                                + "[a];[1:v]"
                                + same
                                + "[b];[2:v]"
                                + same
                                + "[c];[a][b][c]concat=n=3:v=1:a=0",
                        "-frames:v",
                        String.valueOf(FRAMES),
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-pix_fmt",
                        "yuv420p",
                        "-g",
                        String.valueOf(FPS)));
        try {
            return SyntheticClips.run(out, args);
        } finally {
            Files.deleteIfExists(card);
        }
    }

    private static List<String> lavfi(String source, double seconds) {
        return List.of(
                "-f",
                "lavfi",
                "-i",
                source + "=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS + ":duration=" + seconds);
    }

    /** Draws {@link #TITLE} white on dark blue; false when this JDK has no font to draw with. */
    private static boolean writeTitleCard(Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(20, 40, 90));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.WHITE);
            int y = 150;
            for (String line : TITLE) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 56));
                FontMetrics metrics = g.getFontMetrics();
                g.drawString(line, (WIDTH - metrics.stringWidth(line)) / 2, y);
                y += 80;
            }
        } catch (RuntimeException | LinkageError | InternalError noFonts) {
            // A JDK without fontconfig or fonts fails in font lookup, with an Error in some builds.
            return false;
        } finally {
            g.dispose();
        }
        return ImageIO.write(image, "png", png.toFile());
    }
}
