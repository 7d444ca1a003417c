package dev.vidprocme.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.media.MediaException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegDecoderTest {
    @Test
    void decodesAJpegToTheColoursItWasWrittenWith() throws Exception {
        BufferedImage image = new BufferedImage(640, 360, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(200, 30, 40));
        g.fillRect(0, 0, 320, 360);
        g.setColor(new Color(20, 160, 220));
        g.fillRect(320, 0, 320, 360);
        g.dispose();

        RgbImage decoded;
        try (JpegDecoder decoder = new JpegDecoder()) {
            decoded = decoder.decode(jpeg(image));
            // A second frame through the same decoder, as an operator reuses it.
            assertThat(decoder.decode(jpeg(image)).rgb()).isEqualTo(decoded.rgb());
        }

        assertThat(decoded.width()).isEqualTo(640);
        assertThat(decoded.height()).isEqualTo(360);
        assertNear(decoded, 100, 180, 200, 30, 40);
        assertNear(decoded, 500, 180, 20, 160, 220);
    }

    @Test
    void rejectsBytesThatAreNoJpeg() throws Exception {
        try (JpegDecoder decoder = new JpegDecoder()) {
            assertThatThrownBy(() -> decoder.decode(new byte[0]))
                    .isInstanceOf(MediaException.class)
                    .hasMessageContaining("empty");
            byte[] garbage = new byte[1000];
            Arrays.fill(garbage, (byte) 7);
            assertThatThrownBy(() -> decoder.decode(garbage))
                    .isInstanceOf(MediaException.class)
                    .hasMessageContaining("invalid");
        }
    }

    private static byte[] jpeg(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static void assertNear(RgbImage image, int x, int y, int r, int g, int b) {
        int o = 3 * (y * image.width() + x);
        assertThat(image.rgb()[o] & 0xff).isCloseTo(r, org.assertj.core.data.Offset.offset(8));
        assertThat(image.rgb()[o + 1] & 0xff).isCloseTo(g, org.assertj.core.data.Offset.offset(8));
        assertThat(image.rgb()[o + 2] & 0xff).isCloseTo(b, org.assertj.core.data.Offset.offset(8));
    }
}
