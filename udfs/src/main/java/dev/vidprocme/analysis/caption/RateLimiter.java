package dev.vidprocme.analysis.caption;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps one endpoint within its requests and tokens per window, as the endpoint counts them.
 *
 * <p>A token bucket that starts full lets a window see its burst plus a window's refill, twice the
 * limit; a provider counting a sliding window would answer 429. So this limiter keeps a log: a
 * request counts from the moment it is admitted until one window after its reply (when the endpoint
 * has certainly seen it, however late it arrived), with its estimated tokens until the reply
 * reports the real ones. A request is admitted only if the log leaves room for it, so no window,
 * measured at the endpoint, ever holds more than the limit.
 */
final class RateLimiter {
    private final RateLimit limit;
    private final Ticker ticker;
    private final List<Permit> log = new ArrayList<>();

    RateLimiter(RateLimit limit, Ticker ticker) {
        this.limit = limit;
        this.ticker = ticker;
    }

    RateLimit limit() {
        return limit;
    }

    /**
     * 0 when a request estimated at {@code tokens} may start now; otherwise how long until room
     * opens, or {@link Long#MAX_VALUE} when only a request in flight finishing can make room.
     */
    synchronized long nanosUntilRoom(long tokens) {
        if (tokens > limit.tokens()) {
            throw new IllegalArgumentException(
                    "a request estimated at "
                            + tokens
                            + " tokens can never fit a limit of "
                            + limit.tokens()
                            + " tokens per "
                            + limit.window());
        }
        long now = ticker.nanos();
        prune(now);
        int requests = log.size();
        long used = log.stream().mapToLong(p -> p.tokens).sum();
        if (requests < limit.requests() && used + tokens <= limit.tokens()) {
            return 0;
        }
        List<Permit> finished =
                log.stream()
                        .filter(p -> p.finishedAt != Long.MAX_VALUE)
                        .sorted(Comparator.comparingLong(p -> p.finishedAt))
                        .toList();
        for (Permit p : finished) {
            requests--;
            used -= p.tokens;
            if (requests < limit.requests() && used + tokens <= limit.tokens()) {
                return Math.max(1, p.finishedAt + limit.window().toNanos() - now);
            }
        }
        return Long.MAX_VALUE;
    }

    /** Admits a request; call only when {@link #nanosUntilRoom} answered 0. */
    synchronized Permit admit(long estimatedTokens) {
        Permit permit = new Permit(estimatedTokens);
        log.add(permit);
        return permit;
    }

    private void prune(long now) {
        long window = limit.window().toNanos();
        log.removeIf(p -> p.finishedAt != Long.MAX_VALUE && now - p.finishedAt >= window);
    }

    /** One admitted request's place in the log. */
    final class Permit {
        private long tokens;
        private long finishedAt = Long.MAX_VALUE;

        private Permit(long tokens) {
            this.tokens = tokens;
        }

        /**
         * The reply came (or the request failed): its window starts closing now, with the tokens
         * the endpoint reported, or the estimate kept when it reported none.
         */
        void finish(Long reportedTokens) {
            synchronized (RateLimiter.this) {
                if (reportedTokens != null) {
                    tokens = reportedTokens;
                }
                finishedAt = ticker.nanos();
            }
        }
    }
}
