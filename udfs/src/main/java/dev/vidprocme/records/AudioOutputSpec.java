package dev.vidprocme.records;

/**
 * The audio stream of a rendition.
 *
 * @param codec {@code copy}, {@code aac}, {@code opus} or {@code none}
 * @param bitrateKbps target bitrate for {@code aac} and {@code opus}; null for the default
 */
public record AudioOutputSpec(String codec, Integer bitrateKbps) {}
