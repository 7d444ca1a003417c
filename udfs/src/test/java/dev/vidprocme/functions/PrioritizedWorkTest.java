package dev.vidprocme.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.PriorityBlockingQueue;
import org.junit.jupiter.api.Test;

class PrioritizedWorkTest {

    @Test
    void higherPriorityComesFirst() {
        PrioritizedWork low = work(1, 100, "low");
        PrioritizedWork high = work(9, 900, "high");

        assertThat(high.compareTo(low)).isNegative();
        assertThat(low.compareTo(high)).isPositive();
    }

    @Test
    void equalPriorityComesInSubmissionOrder() {
        PrioritizedWork later = work(5, 200, "later");
        PrioritizedWork earlier = work(5, 100, "earlier");

        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void equalPriorityAndSubmissionComeInArrivalOrder() {
        PrioritizedWork first = work(5, 100, "first");
        PrioritizedWork second = work(5, 100, "second");

        assertThat(first.compareTo(second)).isNegative();
        assertThat(second.compareTo(first)).isPositive();
        assertThat(first.compareTo(first)).isZero();
    }

    @Test
    void aPriorityQueueRunsWorkInThatOrder() {
        List<String> ran = new ArrayList<>();
        List<PrioritizedWork> arrivals =
                List.of(
                        work(5, 300, "p5-t300-a", ran),
                        work(0, 100, "p0-t100", ran),
                        work(9, 500, "p9-t500", ran),
                        work(5, 200, "p5-t200", ran),
                        work(5, 300, "p5-t300-b", ran),
                        work(9, 400, "p9-t400", ran),
                        work(0, 50, "p0-t50", ran));
        List<PrioritizedWork> shuffled = new ArrayList<>(arrivals);
        Collections.shuffle(shuffled, new Random(7));
        PriorityBlockingQueue<Runnable> queue = new PriorityBlockingQueue<>(shuffled);

        while (!queue.isEmpty()) {
            queue.poll().run();
        }

        assertThat(ran)
                .containsExactly(
                        "p9-t400",
                        "p9-t500",
                        "p5-t200",
                        "p5-t300-a",
                        "p5-t300-b",
                        "p0-t50",
                        "p0-t100");
    }

    @Test
    void withAgingAPriorityPointIsWorthOneIntervalOfWaiting() {
        long aging = 30_000;
        // p1 submitted 4 min before a p9: 240 s of waiting beats 8 points (240 s) only on a tie.
        PrioritizedWork oldLow = new PrioritizedWork(1, 0, aging, () -> {});
        PrioritizedWork freshHigh = new PrioritizedWork(9, 240_001, aging, () -> {});
        PrioritizedWork recentHigh = new PrioritizedWork(9, 239_999, aging, () -> {});

        assertThat(oldLow.compareTo(freshHigh)).isNegative();
        assertThat(recentHigh.compareTo(oldLow)).isNegative();
    }

    @Test
    void withAgingAFloodOfHighPriorityWorkCannotStarveOldWork() {
        long aging = 1_000;
        List<String> ran = new ArrayList<>();
        PriorityBlockingQueue<Runnable> queue = new PriorityBlockingQueue<>();
        queue.add(new PrioritizedWork(0, 0, aging, () -> ran.add("old-p0")));
        // A p9 unit arrives every 100 ms and the worker takes one unit every 100 ms: without aging
        // the p0 unit would never run.
        for (long now = 0; !ran.contains("old-p0"); now += 100) {
            long submitted = now;
            queue.add(new PrioritizedWork(9, submitted, aging, () -> ran.add("p9@" + submitted)));
            queue.poll().run();
        }

        // It waited until its effective priority (0 + waited/1 s) passed the fresh units' 9.
        assertThat(ran.indexOf("old-p0")).isBetween(85, 95);
    }

    @Test
    void withoutAgingPriorityIsStrict() {
        PrioritizedWork oldLow = new PrioritizedWork(1, 0, 0, () -> {});
        PrioritizedWork muchLaterHigh = new PrioritizedWork(2, 1_000_000_000L, 0, () -> {});

        assertThat(muchLaterHigh.compareTo(oldLow)).isNegative();
    }

    @Test
    void runsItsBody() {
        List<String> ran = new ArrayList<>();

        work(1, 1, "body", ran).run();

        assertThat(ran).containsExactly("body");
    }

    private static PrioritizedWork work(int priority, long submittedAtMs, String name) {
        return work(priority, submittedAtMs, name, new ArrayList<>());
    }

    private static PrioritizedWork work(
            int priority, long submittedAtMs, String name, List<String> ran) {
        return new PrioritizedWork(priority, submittedAtMs, () -> ran.add(name));
    }
}
