package dev.vidprocme.analysis.caption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.analysis.caption.CircuitBreaker.Decision;
import dev.vidprocme.analysis.caption.CircuitBreaker.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final TestingTicker ticker = TestingTicker.manual();
    private final CircuitBreaker breaker =
            new CircuitBreaker(new BreakerSettings(3, Duration.ofSeconds(30)), ticker);

    @Test
    void opensAfterTheThresholdOfConsecutiveFailuresOnly() {
        breaker.failed();
        breaker.failed();
        breaker.succeeded(); // the run is broken
        breaker.failed();
        breaker.failed();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        breaker.failed();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.decide()).isEqualTo(Decision.REJECT);
    }

    @Test
    void afterTheCoolDownOneProbeGoesOutAndItsSuccessClosesTheBreaker() {
        open();
        ticker.advance(Duration.ofSeconds(30));

        assertThat(breaker.decide()).isEqualTo(Decision.CALL);
        breaker.started();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.decide()).isEqualTo(Decision.WAIT);

        breaker.succeeded();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.decide()).isEqualTo(Decision.CALL);
    }

    @Test
    void aFailedProbeOpensTheBreakerForAnotherCoolDown() {
        open();
        ticker.advance(Duration.ofSeconds(30));
        breaker.started();

        breaker.failed();

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        ticker.advance(Duration.ofSeconds(29));
        assertThat(breaker.decide()).isEqualTo(Decision.REJECT);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(breaker.decide()).isEqualTo(Decision.CALL);
    }

    @Test
    void aNeutralProbeResultLetsAnotherProbeGo() {
        open();
        ticker.advance(Duration.ofSeconds(30));
        breaker.started();

        breaker.neutral(); // a 429 says nothing about whether the endpoint works

        assertThat(breaker.decide()).isEqualTo(Decision.CALL);
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            breaker.failed();
        }
    }
}
