package dev.vidprocme.analysis.caption;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.HttpException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Why a call failed, sorted by what to do about it.
 *
 * @param retryable worth another attempt: 429, 408, 5xx, a timeout, a dropped connection, a body
 *     that is not the protocol's JSON
 * @param endpointFault counts towards the circuit breaker (everything retryable but 429)
 * @param retryAfter how long the endpoint asked us to wait; null when it did not say
 * @param message what a person reads
 */
record Failure(boolean retryable, boolean endpointFault, Duration retryAfter, String message) {

    static Failure of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof EndpointStatusException status) {
                int code = status.statusCode();
                boolean retry = code == 429 || code == 408 || code >= 500;
                return new Failure(
                        retry, retry && code != 429, status.retryAfter(), status.getMessage());
            }
            if (c instanceof HttpException http) {
                int code = http.statusCode();
                boolean retry = code == 429 || code == 408 || code >= 500;
                return new Failure(retry, retry && code != 429, null, http.getMessage());
            }
            if (c instanceof JsonProcessingException) {
                // A 200 whose body is not the protocol's JSON: a proxy's page or a broken server.
                return new Failure(true, true, null, "unreadable reply: " + c.getMessage());
            }
            if (c instanceof HttpTimeoutException) {
                return new Failure(true, true, null, "timed out: " + c.getMessage());
            }
            if (c instanceof IOException) {
                return new Failure(
                        true,
                        true,
                        null,
                        "connection failed: "
                                + c.getClass().getSimpleName()
                                + ": "
                                + c.getMessage());
            }
        }
        if (t instanceof CaptionConfigException) {
            return new Failure(false, false, null, t.getMessage());
        }
        // langchain4j could not read the body as its protocol's JSON: a proxy or a broken server.
        return new Failure(
                true,
                true,
                null,
                "unreadable reply: " + t.getClass().getSimpleName() + ": " + t.getMessage());
    }
}
