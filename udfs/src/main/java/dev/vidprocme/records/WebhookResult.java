package dev.vidprocme.records;

/**
 * What became of one job update's webhook: emitted by the webhook operator for metrics and logs.
 *
 * @param attempts POSTs made by this delivery (0 when none was needed)
 * @param detail a readable reason for anything but DELIVERED
 */
public record WebhookResult(
        String eventId, String jobId, WebhookResult.Outcome outcome, int attempts, String detail) {

    /** How a delivery ended. */
    public enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** An earlier delivery of the same event already succeeded; nothing was sent. */
        ALREADY_DELIVERED,
        /** The job has no callbackUrl. */
        NO_CALLBACK,
        /** The URL is not allowed (SSRF rules); never retried. */
        REFUSED,
        /** The receiver answered a 4xx that retrying will not change. */
        REJECTED,
        /** Retries or time ran out. */
        GAVE_UP
    }
}
