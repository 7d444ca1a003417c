package dev.vidprocme.notify;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How webhooks are delivered: retries, timeouts and the SSRF allow-list. The secret is not here: it
 * comes from {@value WebhookSigner#SECRET_ENV} only.
 *
 * @param maxAttempts POSTs per event before giving up
 * @param initialBackoff wait after the first failure; doubled after each further one, with jitter
 * @param maxBackoff cap on one wait (a longer Retry-After is honoured up to the total budget)
 * @param giveUpAfter total time one event may take, waits included
 * @param connectTimeout TCP (and TLS) connect limit per attempt
 * @param requestTimeout limit on one whole attempt
 */
public record WebhookSettings(
        AllowList allow,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration giveUpAfter,
        Duration connectTimeout,
        Duration requestTimeout)
        implements Serializable {

    public static final ConfigOption<String> ALLOW =
            ConfigOptions.key("vidproc.webhook.allow")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Comma-separated host names and CIDRs that callback URLs may reach"
                                    + " although internal (loopback, private, link-local...)."
                                    + " Empty: only public addresses.");

    public static final ConfigOption<Integer> MAX_ATTEMPTS =
            ConfigOptions.key("vidproc.webhook.max-attempts")
                    .intType()
                    .defaultValue(8)
                    .withDescription("POSTs per event before a webhook delivery gives up.");

    public static final ConfigOption<Duration> INITIAL_BACKOFF =
            ConfigOptions.key("vidproc.webhook.initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Wait after a failed POST; doubles per retry, with jitter.");

    public static final ConfigOption<Duration> MAX_BACKOFF =
            ConfigOptions.key("vidproc.webhook.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("Longest wait between two POSTs of one event.");

    public static final ConfigOption<Duration> GIVE_UP_AFTER =
            ConfigOptions.key("vidproc.webhook.give-up-after")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("Total time one event's delivery may take, waits included.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT =
            ConfigOptions.key("vidproc.webhook.request-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Limit on one POST, connect included.");

    public WebhookSettings {
        if (allow == null) {
            allow = AllowList.NONE;
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw invalid(MAX_ATTEMPTS.key(), "must be 1..100, got " + maxAttempts);
        }
        positive(INITIAL_BACKOFF.key(), initialBackoff);
        positive(MAX_BACKOFF.key(), maxBackoff);
        positive(GIVE_UP_AFTER.key(), giveUpAfter);
        positive("connect timeout", connectTimeout);
        positive(REQUEST_TIMEOUT.key(), requestTimeout);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw invalid(MAX_BACKOFF.key(), "must not be shorter than the initial backoff");
        }
    }

    public static WebhookSettings defaults() {
        return fromConfig(new org.apache.flink.configuration.Configuration());
    }

    /** Reads the {@code vidproc.webhook.*} options. */
    public static WebhookSettings fromConfig(ReadableConfig config) {
        Duration request = config.get(REQUEST_TIMEOUT);
        return new WebhookSettings(
                AllowList.parse(config.get(ALLOW)),
                config.get(MAX_ATTEMPTS),
                config.get(INITIAL_BACKOFF),
                config.get(MAX_BACKOFF),
                config.get(GIVE_UP_AFTER),
                request.compareTo(Duration.ofSeconds(5)) < 0 ? request : Duration.ofSeconds(5),
                request);
    }

    /**
     * The timeout to give the async operator: longer than any delivery can take, so deliveries end
     * by their own rules and the operator's timeout is only a backstop.
     */
    public Duration operatorTimeout() {
        return giveUpAfter.plus(requestTimeout).plus(maxBackoff).plusSeconds(30);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw invalid(name, "must be a positive duration, got " + d);
        }
    }

    private static IllegalArgumentException invalid(String name, String message) {
        return new IllegalArgumentException(name + " " + message);
    }
}
