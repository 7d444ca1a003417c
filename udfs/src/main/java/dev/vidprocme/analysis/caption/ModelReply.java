package dev.vidprocme.analysis.caption;

/**
 * A chat model's answer to one caption request.
 *
 * @param content the assistant message's text
 * @param inputTokens prompt tokens the endpoint reported; null when it reported none
 * @param outputTokens completion tokens the endpoint reported; null when it reported none
 */
record ModelReply(String content, Long inputTokens, Long outputTokens) {}
