package dev.vidprocme.records;

/**
 * What probing learned about the video stream. {@code width} and {@code height} are the coded size;
 * {@code rotation} is the clockwise rotation (0, 90, 180, 270) a player applies to show it upright.
 */
public record VideoInfo(
        String container,
        String codec,
        int width,
        int height,
        double fps,
        long durationMs,
        int rotation,
        long frameCount) {

    /** Width of frames once rotated upright. */
    public int displayWidth() {
        return rotation % 180 == 0 ? width : height;
    }

    /** Height of frames once rotated upright. */
    public int displayHeight() {
        return rotation % 180 == 0 ? height : width;
    }
}
