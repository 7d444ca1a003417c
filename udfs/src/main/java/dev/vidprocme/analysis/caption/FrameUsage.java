package dev.vidprocme.analysis.caption;

/**
 * The tokens and cost one frame of a job was charged with one model.
 *
 * @param frameIndex the frame's index in the job
 * @param model the model's name as the spec gave it
 * @param inputTokens its share of the request's prompt tokens
 * @param outputTokens its share of the request's completion tokens
 * @param costUsd by the price table; 0 for a model without a price
 */
public record FrameUsage(
        long frameIndex, String model, long inputTokens, long outputTokens, double costUsd) {}
