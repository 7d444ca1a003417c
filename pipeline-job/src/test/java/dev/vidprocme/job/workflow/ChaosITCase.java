package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.testing.PipelineCluster;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.job.testing.TestServices;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaks what the pipeline stands on while ten jobs are in flight (a TaskManager dies, the Kafka
 * broker restarts, PostgreSQL is gone for ten seconds) and checks that every job still completes
 * with each of its frames stored exactly once: one row per index, one JPEG, no temporary object.
 * Two more jobs submitted after the blow show that the pipeline also keeps taking new work.
 *
 * <p>The class runs on a Kafka broker and a PostgreSQL server of its own ({@link
 * TestServices#dedicated()}): the outages it causes must not reach the pipelines of other test
 * classes in this JVM, which share {@link TestServices#get()}. Each test has its own MiniCluster,
 * topic and blob store.
 */
class ChaosITCase {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosITCase.class);
    private static final int JOBS_IN_FLIGHT = 10;
    private static final int JOBS_AFTER = 2;
    private static final int SECONDS = 4;
    private static final int FPS = 30;
    private static final int FRAMES = SECONDS * FPS;
    private static final Duration DATABASE_OUTAGE = Duration.ofSeconds(10);
    private static final Duration MID_RUN_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);

    /**
     * One-second segments, one decode worker and single-threaded codecs: the ten jobs become sixty
     * small units that keep both decode subtasks busy for a while, so the blow lands mid-run.
     */
    private static final Map<String, String> SLOW_AND_FINE_GRAINED =
            Map.of(
                    "vidproc.segment.target", "1 s",
                    "vidproc.decode.workers", "1",
                    "vidproc.decode.ffmpeg-threads", "1",
                    "vidproc.decode.jpeg-threads", "1",
                    "vidproc.checkpoint.interval", "500 ms");

    @TempDir static Path shared;
    private static TestServices services;
    private static Path clip;

    @TempDir Path temp;

    @BeforeAll
    static void startServices() throws Exception {
        services = TestServices.dedicated();
        clip = SyntheticClips.testPattern(shared.resolve("clip.mp4"), SECONDS, FPS, 320, 240);
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void taskManagerKilledWithTenJobsInFlightLeavesEveryFrameExactlyOnce() throws Exception {
        int failovers =
                survives(
                        "taskmanager-killed",
                        flink -> {
                            flink.killTaskManager(0);
                        });

        assertThat(failovers).as("the pipeline recovered from the lost TaskManager").isPositive();
    }

    @Test
    void kafkaRestartWithTenJobsInFlightLeavesEveryFrameExactlyOnce() throws Exception {
        survives("kafka-restarted", flink -> services.kafka().restart());
    }

    @Test
    void tenSecondDatabaseOutageWithTenJobsInFlightLeavesEveryFrameExactlyOnce() throws Exception {
        survives(
                "database-down",
                flink -> {
                    services.postgres().stop();
                    try {
                        // The outage itself, not synchronisation: the scenario is ten seconds
                        // without a database.
                        Thread.sleep(DATABASE_OUTAGE.toMillis());
                    } finally {
                        services.postgres().restart();
                    }
                });
    }

    /** A blow dealt to the running pipeline or to a service under it. */
    @FunctionalInterface
    private interface Blow {
        void deal(PipelineCluster flink) throws Exception;
    }

    /**
     * Runs the pipeline, submits {@link #JOBS_IN_FLIGHT} jobs, deals {@code blow} once frames of
     * some are stored while others are unfinished, submits {@link #JOBS_AFTER} more and asserts
     * that all of them completed exactly once; returns how often the pipeline failed over.
     */
    private int survives(String scenario, Blow blow) throws Exception {
        String topic = "jobs-chaos-" + scenario + "-" + UUID.randomUUID();
        services.kafka().createTopics(2, topic);
        Path inputs = Files.createDirectories(temp.resolve("inputs"));
        LocalBlobStore blobs = new LocalBlobStore(temp.resolve("blobs"));
        PipelineConfig config =
                TestPipelines.config(
                        services, topic, blobs.root(), List.of(inputs), SLOW_AND_FINE_GRAINED);
        try (PipelineCluster flink = PipelineCluster.start(2);
                TestJobs jobs = new TestJobs(services, blobs, topic)) {
            flink.submit(config);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS_IN_FLIGHT; i++) {
                ids.add(jobs.upload(clip, JobSpec.defaults()));
            }
            int unfinished = jobs.awaitInFlight(ids, MID_RUN_TIMEOUT);

            LOG.info(
                    "{}: dealing the blow, {} of {} jobs unfinished",
                    scenario,
                    unfinished,
                    ids.size());
            blow.deal(flink);
            for (int i = 0; i < JOBS_AFTER; i++) {
                ids.add(jobs.upload(clip, JobSpec.defaults()));
            }

            try {
                long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
                for (String id : ids) {
                    jobs.awaitTerminal(id, Duration.ofNanos(deadline - System.nanoTime()));
                    jobs.assertCompletedExactlyOnce(id, FRAMES);
                }
            } catch (AssertionError e) {
                throw new AssertionError(
                        scenario + ": " + e.getMessage() + "\n" + flink.describe(), e);
            }
            LOG.info("{}: all {} jobs exactly once; {}", scenario, ids.size(), flink.describe());
            return flink.failovers();
        }
    }
}
