package dev.vidprocme.analysis.caption;

import java.io.Serializable;

/**
 * A model's price in USD per million tokens, for cost caps.
 *
 * @param inputUsdPerMillion price of a million prompt tokens (images included)
 * @param outputUsdPerMillion price of a million completion tokens
 */
public record ModelPrice(double inputUsdPerMillion, double outputUsdPerMillion)
        implements Serializable {
    public ModelPrice {
        if (!(inputUsdPerMillion >= 0) || !(outputUsdPerMillion >= 0)) {
            throw new IllegalArgumentException(
                    "model prices must be at least 0 USD per million tokens, got "
                            + inputUsdPerMillion
                            + " and "
                            + outputUsdPerMillion);
        }
    }

    public double costUsd(long inputTokens, long outputTokens) {
        return (inputTokens * inputUsdPerMillion + outputTokens * outputUsdPerMillion) / 1e6;
    }
}
