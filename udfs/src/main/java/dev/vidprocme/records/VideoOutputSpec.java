package dev.vidprocme.records;

/**
 * The video stream of a rendition.
 *
 * @param codec {@code h264}, {@code hevc}, {@code vp9} or {@code av1}
 * @param height output height in pixels, aspect kept; null keeps the input's
 * @param crf constant rate factor; exclusive with {@code bitrateKbps}
 * @param bitrateKbps target bitrate; exclusive with {@code crf}
 * @param fps output frame rate; null keeps the input's
 * @param upscale allow {@code height} above the input's (default false: never upscale)
 */
public record VideoOutputSpec(
        String codec,
        Integer height,
        Integer crf,
        Integer bitrateKbps,
        Double fps,
        Boolean upscale) {}
