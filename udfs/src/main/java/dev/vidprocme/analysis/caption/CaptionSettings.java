package dev.vidprocme.analysis.caption;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the captioner needs that is not in a job spec: per-provider endpoints, retries, the
 * circuit breaker, the price table and batching limits. Read once from configuration; secrets stay
 * in the environment and are named, never held.
 *
 * @param endpoints by provider ({@value #OPENAI}, {@value #OLLAMA})
 * @param prices by model name, for {@code analysis.maxCostUsd}
 * @param retry how transient failures are retried
 * @param breaker when an endpoint is given a rest
 * @param defaultFramesPerRequest frames per request when the spec does not say
 * @param maxFramesPerRequest the most frames a spec may put in one request
 * @param estimatedTokensPerImage the prompt tokens one image is assumed to cost before the endpoint
 *     has reported any usage (the rate limiter and budget reserve this much)
 * @param estimatedOutputTokensPerFrame the completion tokens assumed per frame likewise
 */
public record CaptionSettings(
        Map<String, EndpointSettings> endpoints,
        Map<String, ModelPrice> prices,
        RetrySettings retry,
        BreakerSettings breaker,
        int defaultFramesPerRequest,
        int maxFramesPerRequest,
        int estimatedTokensPerImage,
        int estimatedOutputTokensPerFrame)
        implements Serializable {
    public static final String OPENAI = "openai";
    public static final String OLLAMA = "ollama";
    public static final String OPENAI_API_KEY_ENV = "VIDPROC_OPENAI_API_KEY";
    public static final String OLLAMA_API_KEY_ENV = "VIDPROC_OLLAMA_API_KEY";
    public static final String OPENAI_BASE_URL_ENV = "VIDPROC_OPENAI_BASE_URL";
    public static final String OLLAMA_BASE_URL_ENV = "VIDPROC_OLLAMA_BASE_URL";

    public CaptionSettings {
        endpoints = Map.copyOf(endpoints);
        prices = Map.copyOf(prices);
        if (defaultFramesPerRequest < 1 || defaultFramesPerRequest > maxFramesPerRequest) {
            throw new IllegalArgumentException(
                    "caption settings: need 1 <= defaultFramesPerRequest <= maxFramesPerRequest,"
                            + " got "
                            + defaultFramesPerRequest
                            + " and "
                            + maxFramesPerRequest);
        }
        if (estimatedTokensPerImage < 1 || estimatedOutputTokensPerFrame < 1) {
            throw new IllegalArgumentException(
                    "caption settings: token estimates must be at least 1, got "
                            + estimatedTokensPerImage
                            + " and "
                            + estimatedOutputTokensPerFrame);
        }
    }

    /**
     * OpenAI at {@code https://api.openai.com/v1} and Ollama at {@code http://localhost:11434},
     * keys from {@value #OPENAI_API_KEY_ENV} and {@value #OLLAMA_API_KEY_ENV}, no price table.
     */
    public static CaptionSettings defaults() {
        Map<String, EndpointSettings> endpoints = new LinkedHashMap<>();
        endpoints.put(
                OPENAI,
                new EndpointSettings(
                        "https://api.openai.com/v1",
                        OPENAI_API_KEY_ENV,
                        Duration.ofSeconds(60),
                        4,
                        RateLimit.perMinute(500, 200_000)));
        endpoints.put(
                OLLAMA,
                new EndpointSettings(
                        "http://localhost:11434",
                        OLLAMA_API_KEY_ENV,
                        Duration.ofSeconds(120),
                        2,
                        RateLimit.perMinute(600, 10_000_000)));
        return new CaptionSettings(
                endpoints,
                Map.of(),
                RetrySettings.defaults(),
                BreakerSettings.defaults(),
                4,
                16,
                1_000,
                150);
    }

    /**
     * The defaults with base URLs overridden by {@value #OPENAI_BASE_URL_ENV} and {@value
     * #OLLAMA_BASE_URL_ENV} where set: how a local vLLM or llama.cpp server is chosen.
     */
    public static CaptionSettings fromEnvironment(Map<String, String> env) {
        CaptionSettings settings = defaults();
        String openAi = env.get(OPENAI_BASE_URL_ENV);
        if (openAi != null && !openAi.isBlank()) {
            settings = settings.withEndpoint(OPENAI, settings.endpoint(OPENAI).withBaseUrl(openAi));
        }
        String ollama = env.get(OLLAMA_BASE_URL_ENV);
        if (ollama != null && !ollama.isBlank()) {
            settings = settings.withEndpoint(OLLAMA, settings.endpoint(OLLAMA).withBaseUrl(ollama));
        }
        return settings;
    }

    /** The reply fields a spec may ask for, in their prompt order. */
    public static List<String> fields() {
        return Arrays.stream(CaptionField.values()).map(CaptionField::key).toList();
    }

    /** The endpoint for {@code provider}, or an error naming the providers that are configured. */
    public EndpointSettings endpoint(String provider) {
        EndpointSettings endpoint = endpoints.get(provider);
        if (endpoint == null) {
            throw new CaptionConfigException(
                    "no caption endpoint is configured for provider '"
                            + provider
                            + "'; configured: "
                            + endpoints.keySet().stream().sorted().toList());
        }
        return endpoint;
    }

    public CaptionSettings withEndpoint(String provider, EndpointSettings endpoint) {
        Map<String, EndpointSettings> copy = new LinkedHashMap<>(endpoints);
        copy.put(provider, endpoint);
        return new CaptionSettings(
                copy,
                prices,
                retry,
                breaker,
                defaultFramesPerRequest,
                maxFramesPerRequest,
                estimatedTokensPerImage,
                estimatedOutputTokensPerFrame);
    }

    public CaptionSettings withPrices(Map<String, ModelPrice> table) {
        return new CaptionSettings(
                endpoints,
                table,
                retry,
                breaker,
                defaultFramesPerRequest,
                maxFramesPerRequest,
                estimatedTokensPerImage,
                estimatedOutputTokensPerFrame);
    }

    public CaptionSettings withRetry(RetrySettings r) {
        return new CaptionSettings(
                endpoints,
                prices,
                r,
                breaker,
                defaultFramesPerRequest,
                maxFramesPerRequest,
                estimatedTokensPerImage,
                estimatedOutputTokensPerFrame);
    }

    public CaptionSettings withBreaker(BreakerSettings b) {
        return new CaptionSettings(
                endpoints,
                prices,
                retry,
                b,
                defaultFramesPerRequest,
                maxFramesPerRequest,
                estimatedTokensPerImage,
                estimatedOutputTokensPerFrame);
    }

    public CaptionSettings withTokenEstimates(int perImage, int outputPerFrame) {
        return new CaptionSettings(
                endpoints,
                prices,
                retry,
                breaker,
                defaultFramesPerRequest,
                maxFramesPerRequest,
                perImage,
                outputPerFrame);
    }

    /**
     * Parses a price table written {@code model=input/output,...} in USD per million tokens, e.g.
     * {@code gpt-4o-mini=0.15/0.60,gpt-4o=2.50/10.00}: the form a configuration option carries.
     */
    public static Map<String, ModelPrice> parsePrices(String table) {
        Map<String, ModelPrice> prices = new LinkedHashMap<>();
        if (table == null || table.isBlank()) {
            return prices;
        }
        for (String entry : table.split(",")) {
            String[] modelAndPrices = entry.trim().split("=", 2);
            String[] inOut = modelAndPrices.length == 2 ? modelAndPrices[1].split("/", 2) : null;
            try {
                if (inOut == null || inOut.length != 2 || modelAndPrices[0].isBlank()) {
                    throw new NumberFormatException();
                }
                prices.put(
                        modelAndPrices[0].trim(),
                        new ModelPrice(
                                Double.parseDouble(inOut[0].trim()),
                                Double.parseDouble(inOut[1].trim())));
            } catch (NumberFormatException e) {
                throw new CaptionConfigException(
                        "bad price table entry '"
                                + entry.trim()
                                + "': write model=INPUT/OUTPUT in USD per million tokens, e.g."
                                + " gpt-4o-mini=0.15/0.60");
            }
        }
        return prices;
    }
}
