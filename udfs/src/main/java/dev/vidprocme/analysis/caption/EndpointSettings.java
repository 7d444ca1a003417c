package dev.vidprocme.analysis.caption;

import java.io.Serializable;
import java.time.Duration;

/**
 * How to reach one provider's endpoint and how hard it may be pushed. The API key is not here: only
 * the name of the environment variable that holds it, so settings can be logged and shipped to task
 * managers without the secret.
 *
 * @param baseUrl OpenAI-compatible: up to and including {@code /v1}; Ollama: the server root
 * @param apiKeyEnv the environment variable holding the API key; its absence means no key
 * @param timeout the longest wait for one reply
 * @param concurrency the most requests in flight at once
 * @param rateLimit the requests and tokens allowed in any window
 */
public record EndpointSettings(
        String baseUrl, String apiKeyEnv, Duration timeout, int concurrency, RateLimit rateLimit)
        implements Serializable {
    public EndpointSettings {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException(
                    "caption endpoint baseUrl must be an http:// or https:// URL, got " + baseUrl);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "caption endpoint timeout must be a positive duration, got " + timeout);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException(
                    "caption endpoint concurrency must be at least 1, got " + concurrency);
        }
        if (rateLimit == null) {
            throw new IllegalArgumentException("caption endpoint needs a rate limit");
        }
    }

    public EndpointSettings withBaseUrl(String url) {
        return new EndpointSettings(url, apiKeyEnv, timeout, concurrency, rateLimit);
    }

    public EndpointSettings withTimeout(Duration t) {
        return new EndpointSettings(baseUrl, apiKeyEnv, t, concurrency, rateLimit);
    }

    public EndpointSettings withConcurrency(int c) {
        return new EndpointSettings(baseUrl, apiKeyEnv, timeout, c, rateLimit);
    }

    public EndpointSettings withRateLimit(RateLimit limit) {
        return new EndpointSettings(baseUrl, apiKeyEnv, timeout, concurrency, limit);
    }
}
