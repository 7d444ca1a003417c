package dev.vidprocme.records;

/**
 * The poster frame and the scrubbing sprite sheet made alongside renditions.
 *
 * @param enabled make them (default true when the job has outputs)
 * @param intervalSeconds seconds between sprite tiles (default 2)
 * @param width tile width in pixels (default 160)
 * @param columns tiles per sprite row (default 10)
 */
public record ThumbnailSpec(
        Boolean enabled, Double intervalSeconds, Integer width, Integer columns) {}
