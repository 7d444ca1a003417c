package dev.vidprocme.records;

/**
 * What is learned from a job's analysis frames: the representative frame of each scene plus one
 * every {@code intervalSeconds} within long scenes.
 *
 * @param ocr read on-screen text (default true)
 * @param stats brightness, sharpness, dominant colours and motion (default true)
 * @param intervalSeconds the longest stretch of a scene without an analysis frame (default 10)
 * @param caption vision-LLM captions; null for none
 * @param maxTokens stop calling the model once the job has used this many tokens; null for no cap
 * @param maxCostUsd stop calling the model once the job has cost this much by the price table; null
 *     for no cap
 */
public record AnalysisSpec(
        Boolean ocr,
        Boolean stats,
        Double intervalSeconds,
        CaptionSpec caption,
        Long maxTokens,
        Double maxCostUsd) {
    public static final double DEFAULT_INTERVAL_SECONDS = 10;

    public AnalysisSpec {
        if (ocr == null) {
            ocr = true;
        }
        if (stats == null) {
            stats = true;
        }
        if (intervalSeconds == null) {
            intervalSeconds = DEFAULT_INTERVAL_SECONDS;
        }
    }

    public static AnalysisSpec defaults() {
        return new AnalysisSpec(null, null, null, null, null, null);
    }
}
