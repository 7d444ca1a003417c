package dev.vidprocme.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UrgencyTest {
    private static final long AGING_MS = 30_000;

    @Test
    void aScoreDifferenceIsADifferenceOfEffectivePriority() {
        double fresh9 = Urgency.score(9, 1_000_000, AGING_MS);
        double fresh1 = Urgency.score(1, 1_000_000, AGING_MS);
        double old1 = Urgency.score(1, 1_000_000 - 8 * AGING_MS, AGING_MS);

        assertThat(fresh9 - fresh1).isCloseTo(8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(fresh9 - old1).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Urgency.score(7, 123, 0)).isEqualTo(7);
    }

    @Test
    void onlyWorkAtLeastOnePointMoreUrgentOutranksRunningWork() {
        Urgency urgency = new Urgency(TimeUnit.MINUTES.toNanos(5));
        assertThat(urgency.outranksRunning(9)).as("nothing runs").isFalse();
        try (Urgency.Turn low = urgency.enter(1)) {
            assertThat(urgency.outranksRunning(9)).isTrue();
            assertThat(urgency.outranksRunning(1.5)).isFalse();
        }
    }

    @Test
    void outrankedWorkPausesUntilTheUrgentWorkEndsAndCountsThePause() throws Exception {
        Urgency urgency = new Urgency(TimeUnit.MINUTES.toNanos(5));
        Urgency.Turn low = urgency.enter(1);
        Urgency.Turn high = urgency.enter(9);
        CountDownLatch paused = new CountDownLatch(1);
        CompletableFuture<Boolean> resumed =
                CompletableFuture.supplyAsync(
                        () ->
                                low.yieldIfOutranked(
                                        () -> {
                                            paused.countDown();
                                            return false;
                                        }));

        assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(resumed).isNotDone();
        high.close();

        assertThat(resumed.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(low.pausedNanos()).isPositive();
        assertThat(high.yieldIfOutranked(() -> false)).as("the most urgent never waits").isTrue();
        low.close();
    }

    @Test
    void workWithinOnePointDoesNotPause() {
        Urgency urgency = new Urgency(TimeUnit.MINUTES.toNanos(5));
        try (Urgency.Turn a = urgency.enter(5);
                Urgency.Turn b = urgency.enter(5.9)) {
            assertThat(a.yieldIfOutranked(() -> false)).isTrue();
            assertThat(a.pausedNanos()).isZero();
        }
    }

    @Test
    void aPausedUnitStopsWaitingWhenItsStopConditionTurns() throws Exception {
        Urgency urgency = new Urgency(TimeUnit.MINUTES.toNanos(5));
        AtomicBoolean stop = new AtomicBoolean();
        try (Urgency.Turn low = urgency.enter(1);
                Urgency.Turn high = urgency.enter(9)) {
            CompletableFuture<Boolean> waiting =
                    CompletableFuture.supplyAsync(() -> low.yieldIfOutranked(stop::get));
            stop.set(true);

            assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Timeout(30) // without the staleness window the pause would never end
    void anUrgentUnitThatStopsBeatingStopsPausingOthers() throws Exception {
        Urgency urgency = new Urgency(TimeUnit.MILLISECONDS.toNanos(300));
        try (Urgency.Turn low = urgency.enter(1);
                Urgency.Turn hung = urgency.enter(9)) {
            // The urgent unit never checks in again, as one stuck in a read would not.
            boolean resumed = low.yieldIfOutranked(() -> false);

            assertThat(resumed).isTrue();
            assertThat(low.pausedNanos()).isPositive();
            assertThat(hung.yieldIfOutranked(() -> false)).isTrue();
        }
    }
}
