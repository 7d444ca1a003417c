package dev.vidprocme.analysis.caption;

/**
 * Stops calling an endpoint that keeps failing: closed until {@code failureThreshold} requests in a
 * row fail, then open (no calls) for {@code coolDown}, then half-open: one probe request, whose
 * success closes it and whose failure opens it again.
 */
final class CircuitBreaker {
    /** Where the breaker stands. */
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    /** What a caller may do now. */
    enum Decision {
        CALL,
        /** Open: do not call. */
        REJECT,
        /** Half-open with the probe still out: ask again when it returns. */
        WAIT
    }

    private final BreakerSettings settings;
    private final Ticker ticker;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private boolean probeOut;

    CircuitBreaker(BreakerSettings settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
    }

    /** Whether to call now; a call that goes ahead must say so with {@link #started}. */
    synchronized Decision decide() {
        switch (state) {
            case CLOSED:
                return Decision.CALL;
            case OPEN:
                return ticker.nanos() - openedAt < settings.coolDown().toNanos()
                        ? Decision.REJECT
                        : Decision.CALL;
            default:
                return probeOut ? Decision.WAIT : Decision.CALL;
        }
    }

    /** A call {@link #decide} allowed is going out: past the cool-down it is the probe. */
    synchronized void started() {
        if (state != State.CLOSED) {
            state = State.HALF_OPEN;
            probeOut = true;
        }
    }

    synchronized void succeeded() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeOut = false;
    }

    synchronized void failed() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= settings.failureThreshold()) {
            state = State.OPEN;
            openedAt = ticker.nanos();
            probeOut = false;
        }
    }

    /**
     * A request ended in a way that says nothing about the endpoint's health (429, a malformed
     * reply): a half-open probe is simply not counted.
     */
    synchronized void neutral() {
        if (state == State.HALF_OPEN) {
            probeOut = false;
        }
    }

    synchronized State state() {
        return state;
    }
}
