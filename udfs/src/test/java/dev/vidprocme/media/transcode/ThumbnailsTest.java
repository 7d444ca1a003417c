package dev.vidprocme.media.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.ThumbnailSpec;
import dev.vidprocme.records.VideoInfo;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailsTest {
    /** One colour per second of the clip, far apart so JPEG cannot blur one into another. */
    private static final int[][] COLOURS = {
        {0, 0, 0},
        {255, 0, 0},
        {0, 255, 0},
        {0, 0, 255},
        {255, 255, 0},
        {255, 0, 255},
        {0, 255, 255}
    };

    private static final String[] NAMES = {
        "black", "red", "green", "blue", "yellow", "magenta", "cyan"
    };

    @TempDir Path dir;

    @Test
    void eachCueShowsTheTileOfItsSecondAndThePosterIsNotBlack() throws Exception {
        // Seven seconds, the first black (a poster must skip it), then one colour per second.
        List<String> args = new ArrayList<>();
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            args.addAll(
                    List.of(
                            "-f",
                            "lavfi",
                            "-i",
                            "color=c=" + NAMES[i] + ":size=320x180:rate=10:duration=1"));
            graph.append('[').append(i).append(":v]");
        }
        graph.append("concat=n=").append(NAMES.length).append(":v=1:a=0");
        args.addAll(List.of("-filter_complex", graph.toString()));
        args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
        Path clip = SyntheticClips.run(dir.resolve("colours.mp4"), args);
        VideoInfo video = MediaProbe.probe(clip).video();

        Thumbnails.Result result =
                Thumbnails.make(
                        clip,
                        video,
                        new ThumbnailSpec(true, 1.0, 64, 3),
                        dir.resolve("thumbs"),
                        () -> false);

        assertThat(result.tiles()).isEqualTo(NAMES.length);
        assertThat(result.tileWidth()).isEqualTo(64);
        assertThat(result.tileHeight()).isEqualTo(36);
        assertThat(result.sprites())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("sprite.jpg");
        assertThat(Thumbnails.meanLuma(result.poster())).isGreaterThan(Thumbnails.DARK);

        String vtt = Files.readString(result.vtt());
        assertThat(vtt).startsWith("WEBVTT\n");
        Matcher cue =
                Pattern.compile(
                                "(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) -->"
                                        + " (\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\n"
                                        + "(\\S+)#xywh=(\\d+),(\\d+),(\\d+),(\\d+)")
                        .matcher(vtt);
        BufferedImage sheet = ImageIO.read(result.sprites().get(0).toFile());
        int cues = 0;
        while (cue.find()) {
            int second = Integer.parseInt(cue.group(3));
            assertThat(cue.group(6)).isEqualTo("sprite.jpg");
            int x = Integer.parseInt(cue.group(7));
            int y = Integer.parseInt(cue.group(8));
            int w = Integer.parseInt(cue.group(9));
            int h = Integer.parseInt(cue.group(10));
            assertThat(x + w).isLessThanOrEqualTo(sheet.getWidth());
            assertThat(y + h).isLessThanOrEqualTo(sheet.getHeight());
            assertThat(nearestColour(sheet.getRGB(x + w / 2, y + h / 2)))
                    .as("tile of the cue at %d s", second)
                    .isEqualTo(NAMES[second]);
            cues++;
        }
        assertThat(cues).isEqualTo(NAMES.length);
    }

    private static String nearestColour(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int i = 0; i < COLOURS.length; i++) {
            long d =
                    (long) (r - COLOURS[i][0]) * (r - COLOURS[i][0])
                            + (long) (g - COLOURS[i][1]) * (g - COLOURS[i][1])
                            + (long) (b - COLOURS[i][2]) * (b - COLOURS[i][2]);
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return NAMES[best];
    }
}
