package dev.vidprocme.analysis;

import java.awt.image.BufferedImage;

/**
 * An 8-bit RGB picture, pixels row by row with no padding ({@code rgb[3 * (y * width + x)]} is the
 * red of pixel x,y): the one form every analyser reads.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + width + "x" + height);
        }
        if (rgb == null || rgb.length != 3L * width * height) {
            throw new IllegalArgumentException(
                    "a "
                            + width
                            + "x"
                            + height
                            + " RGB image needs "
                            + 3L * width * height
                            + " bytes, got "
                            + (rgb == null ? "null" : rgb.length));
        }
    }

    /** The pixels of a Java2D image (tests draw text with Java2D; ImageIO reads into one). */
    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[3 * w * h];
        for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
            int p = argb[i];
            rgb[o] = (byte) (p >> 16);
            rgb[o + 1] = (byte) (p >> 8);
            rgb[o + 2] = (byte) p;
        }
        return new RgbImage(w, h, rgb);
    }

    /** A Java2D copy, for drawing on or writing out with ImageIO. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[width * height];
        for (int i = 0, o = 0; i < argb.length; i++, o += 3) {
            argb[i] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
        }
        image.setRGB(0, 0, width, height, argb, 0, width);
        return image;
    }
}
