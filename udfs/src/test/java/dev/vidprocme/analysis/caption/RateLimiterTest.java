package dev.vidprocme.analysis.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private final TestingTicker ticker = TestingTicker.manual();

    @Test
    void admitsUpToTheRequestLimitThenWaitsForTheOldestReplyToAgeOutOfTheWindow() {
        RateLimiter limiter = new RateLimiter(new RateLimit(3, 1_000_000, WINDOW), ticker);
        RateLimiter.Permit first = limiter.admit(1);
        limiter.admit(1).finish(1L);
        limiter.admit(1);

        // All three requests are in flight or just answered: nothing can expire yet.
        ticker.advance(Duration.ofSeconds(1));
        assertThat(limiter.nanosUntilRoom(1)).isEqualTo(WINDOW.toNanos() - 1_000_000_000L);

        first.finish(1L);
        ticker.advance(Duration.ofSeconds(9));
        assertThat(limiter.nanosUntilRoom(1)).isZero();
    }

    @Test
    void aRequestStillInFlightHoldsItsPlaceUntilItsReplyPlusAWholeWindow() {
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 1_000_000, WINDOW), ticker);
        RateLimiter.Permit slow = limiter.admit(1);

        ticker.advance(WINDOW.multipliedBy(5));
        assertThat(limiter.nanosUntilRoom(1)).isEqualTo(Long.MAX_VALUE);

        slow.finish(1L);
        assertThat(limiter.nanosUntilRoom(1)).isEqualTo(WINDOW.toNanos());
        ticker.advance(WINDOW);
        assertThat(limiter.nanosUntilRoom(1)).isZero();
    }

    @Test
    void tokensCountWithTheEstimateUntilTheReplyReportsTheRealUsage() {
        RateLimiter limiter = new RateLimiter(new RateLimit(100, 1_000, WINDOW), ticker);
        RateLimiter.Permit big = limiter.admit(900);
        assertThat(limiter.nanosUntilRoom(200)).isEqualTo(Long.MAX_VALUE);

        big.finish(300L); // the estimate was high: the room is there at once
        assertThat(limiter.nanosUntilRoom(200)).isZero();
        limiter.admit(200);
        assertThat(limiter.nanosUntilRoom(600)).isEqualTo(WINDOW.toNanos());
    }

    @Test
    void aRequestLargerThanTheWholeLimitIsRefusedWithTheNumbers() {
        RateLimiter limiter = new RateLimiter(new RateLimit(10, 500, WINDOW), ticker);
        assertThatThrownBy(() -> limiter.nanosUntilRoom(501))
                .hasMessageContaining("501 tokens")
                .hasMessageContaining("500 tokens");
    }
}
