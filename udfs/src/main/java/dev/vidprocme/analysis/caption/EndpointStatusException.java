package dev.vidprocme.analysis.caption;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;

/**
 * An endpoint answered with an error status. Unlike langchain4j's own {@link HttpException} it
 * keeps the {@code Retry-After} header, which langchain4j drops; it still is an {@link
 * HttpException}, so langchain4j maps it as usual and it stays in the cause chain.
 */
public class EndpointStatusException extends HttpException {
    private final transient Duration retryAfter;

    public EndpointStatusException(int statusCode, Duration retryAfter, String body) {
        super(statusCode, "HTTP " + statusCode + ": " + abbreviate(body));
        this.retryAfter = retryAfter;
    }

    /** How long the endpoint asked us to wait; null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }

    private static String abbreviate(String body) {
        String s = body == null ? "" : body.strip();
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
