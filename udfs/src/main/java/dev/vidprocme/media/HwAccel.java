package dev.vidprocme.media;

import java.util.Locale;

/**
 * Whether segments are decoded on a GPU. FFmpeg's NVDEC decoders need a CUDA device; everything
 * after decoding (rotation, scaling, JPEG) stays on the CPU, so this only moves the decode itself.
 */
public enum HwAccel {
    /**
     * Decode on the GPU Flink assigned to the subtask when FFmpeg can, otherwise on the CPU, saying
     * why once in the log. Without an assigned GPU this is the CPU.
     */
    AUTO,
    /**
     * Decode on CUDA (the assigned GPU, or CUDA's default device without one) and refuse to start
     * when no CUDA device can be opened: a GPU node that silently decodes on its CPU is a fault.
     * Codecs NVDEC cannot decode still fall back to the CPU.
     */
    CUDA,
    /** Always decode on the CPU. */
    NONE;

    /** The spelling used in configuration ({@code auto}, {@code cuda}, {@code none}). */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
