package dev.vidprocme.analysis.caption;

import dev.vidprocme.records.AnalysisSpec;
import java.util.Locale;
import java.util.Optional;

/**
 * One job's caption spending against {@code analysis.maxTokens} and {@code analysis.maxCostUsd}. It
 * starts from the usage already recorded for the job, so a restarted job does not get a fresh
 * allowance. Requests reserve their estimated tokens while in flight, and no request starts once
 * the recorded usage has reached a cap, or while the requests in flight might reach it.
 */
public final class JobBudget {
    private final Long maxTokens;
    private final Double maxCostUsd;
    private final ModelPrice price;
    private long usedTokens;
    private double usedCostUsd;
    private long reservedTokens;
    private double reservedCostUsd;
    private long framesPaid;
    private long framesSkipped;

    private JobBudget(Long maxTokens, Double maxCostUsd, ModelPrice price, Usage already) {
        this.maxTokens = maxTokens;
        this.maxCostUsd = maxCostUsd;
        this.price = price;
        this.usedTokens = already.tokens();
        this.usedCostUsd = already.costUsd();
        this.framesPaid = already.frames();
    }

    /** No caps. */
    public static JobBudget unlimited() {
        return new JobBudget(null, null, null, Usage.NONE);
    }

    /**
     * The caps in {@code analysis} for {@code model}, less what the job already used.
     *
     * @param price the model's price, or null when the table has none
     * @throws CaptionConfigException when a cost cap is asked for a model without a price
     */
    public static JobBudget of(
            AnalysisSpec analysis, String model, ModelPrice price, Usage already) {
        if (analysis.maxCostUsd() != null && price == null) {
            throw new CaptionConfigException(
                    "analysis.maxCostUsd is "
                            + analysis.maxCostUsd()
                            + " but the caption price table has no price for model '"
                            + model
                            + "'; add one to the configuration or use analysis.maxTokens");
        }
        return new JobBudget(analysis.maxTokens(), analysis.maxCostUsd(), price, already);
    }

    /** What {@link #admission} decided. */
    enum Admission {
        ADMIT,
        /** Requests in flight might reach the cap: ask again when they have settled. */
        WAIT,
        REACHED
    }

    /** Whether a request may start now; {@link #reserve} it before it does. */
    synchronized Admission admission() {
        if (reached()) {
            return Admission.REACHED;
        }
        if (maxTokens != null && usedTokens + reservedTokens >= maxTokens
                || maxCostUsd != null && usedCostUsd + reservedCostUsd >= maxCostUsd) {
            return Admission.WAIT;
        }
        return Admission.ADMIT;
    }

    synchronized void reserve(long inputTokens, long outputTokens) {
        reservedTokens += inputTokens + outputTokens;
        reservedCostUsd += cost(inputTokens, outputTokens);
    }

    /** Replaces a reservation with what the request really used. */
    synchronized void settle(
            long estimatedInput, long estimatedOutput, long inputTokens, long outputTokens) {
        reservedTokens -= estimatedInput + estimatedOutput;
        reservedCostUsd -= cost(estimatedInput, estimatedOutput);
        usedTokens += inputTokens + outputTokens;
        usedCostUsd += cost(inputTokens, outputTokens);
    }

    synchronized void paid(int frames) {
        framesPaid += frames;
    }

    synchronized void skipped(int frames) {
        framesSkipped += frames;
    }

    public synchronized boolean reached() {
        return maxTokens != null && usedTokens >= maxTokens
                || maxCostUsd != null && usedCostUsd >= maxCostUsd;
    }

    public synchronized long usedTokens() {
        return usedTokens;
    }

    public synchronized double usedCostUsd() {
        return usedCostUsd;
    }

    public synchronized long framesSkipped() {
        return framesSkipped;
    }

    /**
     * What the job should say once frames were skipped, e.g. "caption budget of 2000 tokens reached
     * after 14 captioned frames (2013 tokens used); 16 frames were not captioned"; empty while
     * nothing was skipped.
     */
    public synchronized Optional<String> message() {
        if (framesSkipped == 0) {
            return Optional.empty();
        }
        boolean tokens = maxTokens != null && usedTokens >= maxTokens;
        String cap =
                tokens
                        ? maxTokens + " tokens"
                        : String.format(
                                Locale.ROOT, "%.4f USD", maxCostUsd == null ? 0 : maxCostUsd);
        String used =
                tokens
                        ? usedTokens + " tokens used"
                        : String.format(Locale.ROOT, "%.4f USD used", usedCostUsd);
        return Optional.of(
                "caption budget of "
                        + cap
                        + " reached after "
                        + framesPaid
                        + " captioned frames ("
                        + used
                        + "); "
                        + framesSkipped
                        + " frames were not captioned");
    }

    private double cost(long in, long out) {
        return price == null ? 0 : price.costUsd(in, out);
    }
}
