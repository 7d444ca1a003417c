package dev.vidprocme.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.SegmentResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final RetryPolicy POLICY =
            new RetryPolicy(
                    5,
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    2,
                    0.5,
                    Duration.ofMinutes(1));

    @Test
    void backoffGrowsExponentiallyUpToItsCap() {
        assertThat(List.of(1, 2, 3, 4, 5, 6))
                .map(n -> POLICY.backoffMillis(n, () -> 0))
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void jitterTakesUpToItsShareOffEachWait() {
        assertThat(POLICY.backoffMillis(3, () -> 0.999999)).isEqualTo(200);
        assertThat(POLICY.backoffMillis(3, () -> 0.5)).isEqualTo(300);
    }

    @Test
    void retriesAreBoundedByAttemptsAndByTimeSinceTheFirst() {
        assertThat(POLICY.mayRetry(4, 0, 1_000)).isTrue();
        assertThat(POLICY.mayRetry(5, 0, 1_000)).isFalse();
        assertThat(POLICY.mayRetry(1, 0, 60_000)).isFalse();
        assertThat(RetryPolicy.none().mayRetry(1, 0, 0)).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2, 0, Duration.ZERO))
                .withMessageContaining("maxAttempts");
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () ->
                                new RetryPolicy(
                                        3,
                                        Duration.ofSeconds(2),
                                        Duration.ofSeconds(1),
                                        2,
                                        0,
                                        Duration.ZERO))
                .withMessageContaining("backoff");
    }

    @Test
    void theFlinkStrategyRetriesExactlyTheResultsThatAskForIt() {
        RetryOnDisposition<SegmentResult> strategy = new RetryOnDisposition<>(POLICY);
        var retryIf = strategy.getRetryPredicate().resultPredicate().orElseThrow();

        assertThat(retryIf.test(List.of(result(Disposition.RETRY)))).isTrue();
        assertThat(retryIf.test(List.of(result(Disposition.DONE)))).isFalse();
        assertThat(retryIf.test(List.of(result(Disposition.DEAD_LETTER)))).isFalse();
        assertThat(retryIf.test(List.of(result(Disposition.DROPPED)))).isFalse();
        assertThat(strategy.getRetryPredicate().exceptionPredicate()).isEmpty();
        assertThat(strategy.canRetry(4)).isTrue();
        assertThat(strategy.canRetry(5)).isFalse();
        assertThat(strategy.getBackoffTimeMillis(2)).isBetween(100L, 200L);
    }

    private static SegmentResult result(Disposition d) {
        return new SegmentResult("j", 0, 0, 0, null, null, 0, d, 1, null, null);
    }
}
