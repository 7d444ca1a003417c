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
