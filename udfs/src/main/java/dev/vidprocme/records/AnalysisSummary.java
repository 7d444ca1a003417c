package dev.vidprocme.records;

/**
 * What the analysers made of a segment's analysis frames, or, summed, of a whole job.
 *
 * @param framesAnalysed analysis frames the offline analysers (text, statistics) looked at
 * @param framesWithText of those, frames where on-screen text was found
 * @param captioned frames with a vision-LLM caption (cached ones included)
 * @param captionsFailed frames whose caption failed after its retries, or was skipped
 * @param tokens model tokens used (input and output; cache hits use none)
 * @param costUsd the price of those tokens by the configured price table
 * @param note a readable note, such as a spent caption budget (the first one wins)
 */
public record AnalysisSummary(
        int framesAnalysed,
        int framesWithText,
        int captioned,
        int captionsFailed,
        long tokens,
        double costUsd,
        String note) {

    public static AnalysisSummary none() {
        return new AnalysisSummary(0, 0, 0, 0, 0, 0, null);
    }

    /** The sum of two summaries; the first note is kept. */
    public AnalysisSummary plus(AnalysisSummary other) {
        if (other == null) {
            return this;
        }
        return new AnalysisSummary(
                framesAnalysed + other.framesAnalysed,
                framesWithText + other.framesWithText,
                captioned + other.captioned,
                captionsFailed + other.captionsFailed,
                tokens + other.tokens,
                costUsd + other.costUsd,
                note != null ? note : other.note);
    }
}
