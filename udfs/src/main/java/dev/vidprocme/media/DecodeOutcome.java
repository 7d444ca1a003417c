package dev.vidprocme.media;

/**
 * What decoding a segment produced.
 *
 * @param damage a readable description of errors met along the way, or null for a clean stream
 */
public record DecodeOutcome(long frames, long decodeErrors, String damage) {}
