package dev.vidprocme.media;

/**
 * What decoding a segment produced.
 *
 * @param damage a readable description of errors met along the way, or null for a clean stream
 * @param device what decoded it: {@value #CPU}, or {@code cuda:N} for the GPU with CUDA index N
 */
public record DecodeOutcome(long frames, long decodeErrors, String damage, String device) {
    /** The {@link #device} of a segment decoded on the CPU. */
    public static final String CPU = "cpu";

    /** A segment decoded on the CPU. */
    public DecodeOutcome(long frames, long decodeErrors, String damage) {
        this(frames, decodeErrors, damage, CPU);
    }
}
