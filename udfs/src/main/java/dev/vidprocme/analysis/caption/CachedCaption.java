package dev.vidprocme.analysis.caption;

import java.util.List;

/**
 * A stored answer for one image; fields not asked for are null.
 *
 * @param inputTokens the prompt tokens it cost when it was paid for
 * @param outputTokens the completion tokens it cost likewise
 */
public record CachedCaption(
        String caption,
        List<String> tags,
        List<String> objects,
        String text,
        long inputTokens,
        long outputTokens) {}
