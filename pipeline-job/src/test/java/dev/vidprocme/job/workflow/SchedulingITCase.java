package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.io.db.QueueRepository;
import dev.vidprocme.job.testing.Await;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Priority bins under saturation, on the real pipeline with its default scheduling settings: a
 * backlog of priority-1 jobs keeps every decode worker busy, a priority-9 job arrives behind it and
 * overtakes it, and the backlog still drains completely.
 */
class SchedulingITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int BACKLOG = 40;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path temp;
    static TestJobs jobs;
    static JobClient pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        TestPipelines.Setup setup = TestPipelines.setup("scheduling", temp, List.of(), Map.of());
        pipeline = TestPipelines.run(setup, Backends.production(), "vidprocme-scheduling-it");
        jobs = setup.jobs();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        TestPipelines.stop(pipeline, jobs);
    }

    @Test
    void aPriorityNineJobOvertakesABacklogOfPriorityOneJobsThatStillAllComplete() throws Exception {
        Path clips = Files.createDirectories(temp.resolve("clips"));
        Path lowClip = SyntheticClips.testPattern(clips.resolve("low.mp4"), 8, 30, 640, 360);
        Path highClip = SyntheticClips.testPattern(clips.resolve("high.mp4"), 4, 30, 640, 360);
        List<String> low = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            low.add(jobs.upload(lowClip, new JobSpec(null, 1, null, null)));
        }
        // Saturated: frames are being written, and most of the backlog still waits in the queue.
        Await.until(
                "the backlog to be planned and decoding",
                TIMEOUT,
                () -> waiting(1) >= BACKLOG / 2 && jobs.frameCount(low.get(0)) > 0);
        long waitingWhenSubmitted = waiting(1);

        String high = jobs.upload(highClip, new JobSpec(null, 9, null, null));

        JobRow highDone = jobs.awaitTerminal(high, TIMEOUT);
        List<JobRow> lowDone = new ArrayList<>();
        for (String id : low) {
            lowDone.add(jobs.awaitTerminal(id, TIMEOUT));
        }
        assertThat(highDone.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(lowDone)
                .as("every priority-1 job still completes")
                .allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.COMPLETED));
        long finishedAfterHigh =
                lowDone.stream().filter(j -> j.updatedAt().isAfter(highDone.updatedAt())).count();
        System.out.printf(
                "priority-9 job finished ahead of %d of %d priority-1 jobs (%d units waiting when"
                        + " it was submitted)%n",
                finishedAfterHigh, BACKLOG, waitingWhenSubmitted);
        assertThat(finishedAfterHigh)
                .as(
                        "priority-1 jobs finishing after the priority-9 one (%d units were"
                                + " waiting when it arrived)",
                        waitingWhenSubmitted)
                .isGreaterThanOrEqualTo(30);
        assertThat(jobs.queue())
                .as("nothing is left waiting or running")
                .allSatisfy(b -> assertThat(b.waiting() + b.running()).isZero());
    }

    private static long waiting(int priority) throws Exception {
        return jobs.queue().stream()
                .filter(b -> b.priority() == priority)
                .mapToLong(QueueRepository.Bin::waiting)
                .sum();
    }
}
