package dev.vidprocme.records;

/**
 * How frames are sampled and encoded.
 *
 * @param fps frames per second to sample, or null for every frame
 * @param maxWidth optional downscale bound in pixels (aspect ratio kept, never upscaled)
 * @param quality JPEG quality 1..100
 * @param mode which frames to keep; {@link FrameMode#FPS} when {@code fps} is set, else {@link
 *     FrameMode#ALL}
 * @param maxFrames in {@link FrameMode#SCENES} mode, the most frames the job keeps; null for the
 *     default
 */
public record FrameSpec(
        Double fps, Integer maxWidth, Integer quality, FrameMode mode, Integer maxFrames) {
    public static final int DEFAULT_QUALITY = 90;

    public FrameSpec {
        if (quality == null) {
            quality = DEFAULT_QUALITY;
        }
        if (mode == null) {
            mode = fps == null ? FrameMode.ALL : FrameMode.FPS;
        }
    }

    /** Every frame, or one per {@code 1/fps} seconds when {@code fps} is set. */
    public FrameSpec(Double fps, Integer maxWidth, Integer quality) {
        this(fps, maxWidth, quality, null, null);
    }

    public static FrameSpec everyFrame() {
        return new FrameSpec(null, null, DEFAULT_QUALITY);
    }

    /**
     * FFmpeg's MJPEG quantiser scale (2 best .. 31 worst) for this quality: 100 maps to 2, 1 to 31,
     * linearly, so {@code quality 93} is {@code -q:v 4}.
     */
    public int qscale() {
        int q = (int) Math.round(31 - (quality - 1) * 29.0 / 99.0);
        return Math.max(2, Math.min(31, q));
    }
}
