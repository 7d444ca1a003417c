package dev.vidprocme.media;

import dev.vidprocme.records.SceneSignals;

/**
 * What decoding a segment produced.
 *
 * @param damage a readable description of errors met along the way, or null for a clean stream
 * @param device what decoded it: {@value #CPU}, or {@code cuda:N} for the GPU with CUDA index N
 * @param scenes what scene detection saw in the segment, for {@link
 *     dev.vidprocme.media.scene.SceneAssembler}; null when the decoder ran no detection
 */
public record DecodeOutcome(
        long frames, long decodeErrors, String damage, String device, SceneSignals scenes) {
    /** The {@link #device} of a segment decoded on the CPU. */
    public static final String CPU = "cpu";

    /** A segment decoded without scene detection. */
    public DecodeOutcome(long frames, long decodeErrors, String damage, String device) {
        this(frames, decodeErrors, damage, device, null);
    }

    /** A segment decoded on the CPU without scene detection. */
    public DecodeOutcome(long frames, long decodeErrors, String damage) {
        this(frames, decodeErrors, damage, CPU);
    }
}
