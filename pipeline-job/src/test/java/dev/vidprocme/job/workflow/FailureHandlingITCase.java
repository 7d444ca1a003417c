package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.io.db.DeadLetterRow;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.job.testing.Await;
import dev.vidprocme.job.testing.Faults;
import dev.vidprocme.job.testing.FaultyBackends;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestJobs.UnitRow;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.job.testing.TestServices;
import dev.vidprocme.job.testing.TopicReader;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.AnalysisSpec;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries, dead letters and cancellation on the real pipeline, with faults injected in front of the
 * real blob store and decoder ({@link FaultyBackends}): storage that fails for a while, storage
 * that never works, a decoder that crashes and one that hangs, and a cancel in the middle of a job.
 * Retries are fast here (3 attempts, 100 ms backoff, a 6 s decode deadline) so the class stays
 * quick.
 */
class FailureHandlingITCase {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration DEADLINE = Duration.ofSeconds(6);
    // These tests are about units failing and being retried; the analysers (which OCR each
    // job's analysis frames) would only add CPU time to the timings they compare.
    private static final JobSpec DECODE_ONLY =
            new JobSpec(
                    null,
                    null,
                    null,
                    null,
                    new AnalysisSpec(false, false, null, null, null, null),
                    null,
                    null,
                    null);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path temp;
    static Path clip;
    static Path longClip;
    static TestJobs jobs;
    static JobClient pipeline;
    static String dlqTopic;
    static TestServices services;

    @BeforeAll
    static void startPipeline() throws Exception {
        Path clips = Files.createDirectories(temp.resolve("clips"));
        clip = SyntheticClips.testPattern(clips.resolve("4s.mp4"), 4, 30, 320, 240);
        longClip = SyntheticClips.testPattern(clips.resolve("12s.mp4"), 12, 30, 320, 240);
        TestPipelines.Setup setup =
                TestPipelines.setup(
                        "failures",
                        temp,
                        List.of(clips),
                        Map.of(
                                "vidproc.segment.target", "2 s",
                                "vidproc.decode.deadline", DEADLINE.toSeconds() + " s",
                                "vidproc.retry.max-attempts", "3",
                                "vidproc.retry.initial-backoff", "100 ms",
                                "vidproc.retry.max-backoff", "1 s"));
        services = setup.services();
        dlqTopic = setup.config().dlqTopic();
        pipeline = TestPipelines.run(setup, new FaultyBackends(), "vidprocme-failures-it");
        jobs = setup.jobs();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        TestPipelines.stop(pipeline, jobs);
    }

    @Test
    void storageThatFailsForAWhileIsRetriedAndTheJobCompletesExactlyOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        Faults.failBlobWrites(id, 0, 2);

        jobs.upload(clip, DECODE_ONLY, id);
        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        assertThat(Faults.blobFailuresLeft(id)).isZero();
        assertThat(jobs.frames(id))
                .extracting(FrameRow::index)
                .containsExactlyElementsOf(range(120));
        assertThat(jobs.units(id, "decode").values())
                .as("some segment needed more than one attempt")
                .anyMatch(u -> u.attempts() > 1)
                .allMatch(u -> u.state().equals("done"));
        assertThat(jobs.deadLetters(id)).isEmpty();
    }

    @Test
    void storageThatNeverWorksDeadLettersTheSegmentAndFailsTheJob() throws Exception {
        String id = UUID.randomUUID().toString();
        Faults.failBlobWrites(id, 0, Integer.MAX_VALUE);

        jobs.upload(clip, DECODE_ONLY, id);
        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.errorCode()).isEqualTo("storage_failed");
        assertThat(job.errorMessage())
                .contains("failed after 3 attempt(s)")
                .contains("injected: the blob store refused");
        DeadLetter letter = singleDeadLetter(id);
        assertThat(letter.stage()).isEqualTo("decode");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.errorClass()).isEqualTo("java.io.IOException");
        assertThat(letter.request().jobId()).isEqualTo(id);
        JsonNode published = awaitPublished(id);
        assertThat(published.path("id").asText()).isEqualTo(letter.id());
        assertThat(published.path("stage").asText()).isEqualTo("decode");
        assertThat(published.path("attempts").asInt()).isEqualTo(3);
        assertThat(published.path("errorClass").asText()).isEqualTo("java.io.IOException");
        assertThat(published.path("message").asText()).contains("injected");
        assertThat(published.path("at").asText()).endsWith("Z");
        assertThat(published.path("request").path("inputUri").asText())
                .isEqualTo("blob:uploads/" + id + "/source");
    }

    @Test
    void withPartialResultsAllowedTheRestOfTheJobIsKeptAndItEndsPartial() throws Exception {
        String id = UUID.randomUUID().toString();
        // Frames 60.. belong to the second and later segments of the 4 s clip (2 s segments).
        Faults.failBlobWrites(id, 60, Integer.MAX_VALUE);

        jobs.upload(clip, new JobSpec(null, null, null, true), id);
        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.PARTIAL);
        assertThat(job.errorMessage()).contains("1 of 2 segment(s) dead-lettered");
        assertThat(jobs.frames(id))
                .extracting(FrameRow::index)
                .containsExactlyElementsOf(range(60));
        assertThat(singleDeadLetter(id).unit()).isEqualTo(1);
    }

    @Test
    void aCrashingDecoderIsRetriedThenDeadLetteredWithItsExceptionClass() throws Exception {
        String id = UUID.randomUUID().toString();
        Faults.crashDecode(id);

        jobs.upload(clip, DECODE_ONLY, id);
        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.errorCode()).isEqualTo("internal");
        assertThat(job.errorMessage()).contains("the decoder crashed: injected decoder crash");
        DeadLetter letter = singleDeadLetter(id);
        assertThat(letter.errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(jobs.frameCount(id)).isZero();
    }

    @Test
    void aHangingDecodeFailsAtItsDeadlineWhileOtherJobsGoOn() throws Exception {
        String hung = UUID.randomUUID().toString();
        Faults.hangDecode(hung);
        jobs.upload(clip, DECODE_ONLY, hung);
        // Wait until the hung unit holds a worker (one per subtask here), then send others.
        Await.until(
                "the hung segment to start",
                JOB_TIMEOUT,
                () -> jobs.units(hung, "decode").values().stream().anyMatch(u -> u.attempts() > 0));
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(jobs.upload(clip, DECODE_ONLY));
        }

        List<JobRow> done = new ArrayList<>();
        for (String other : others) {
            done.add(jobs.awaitTerminal(other, JOB_TIMEOUT));
        }
        JobRow failed = jobs.awaitTerminal(hung, JOB_TIMEOUT);

        assertThat(done).allSatisfy(j -> assertThat(j.status()).isEqualTo(JobStatus.COMPLETED));
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("deadline_exceeded");
        assertThat(failed.errorMessage()).contains("vidproc.decode.deadline");
        assertThat(singleDeadLetter(hung).errorClass()).isEqualTo("deadline_exceeded");
        // The others finished before the hung unit's first attempt even reached its deadline:
        // the stuck worker was replaced instead of holding them up.
        UnitRow hungUnit =
                jobs.units(hung, "decode").values().stream()
                        .filter(u -> u.attempts() == 3)
                        .findFirst()
                        .orElseThrow();
        assertThat(done)
                .allSatisfy(
                        j ->
                                assertThat(j.updatedAt())
                                        .isBefore(hungUnit.firstStartedAt().plus(DEADLINE)));
    }

    @Test
    void cancellingAJobStopsItAndNothingMoreIsWritten() throws Exception {
        String id = UUID.randomUUID().toString();
        // Segment 0 (frames 0-59) stores; the other five block at their first write until the
        // test has cancelled, so the job is provably mid-way when the cancel lands.
        Faults.gateBlobWrites(id, 60);
        jobs.upload(longClip, DECODE_ONLY, id);
        Await.until("segment 0 to be stored", JOB_TIMEOUT, () -> jobs.frameCount(id) == 60);

        assertThat(jobs.cancel(id)).isTrue();
        Faults.openGate(id);

        Map<Integer, UnitRow> units =
                Await.until(
                        "every unit of the cancelled job to settle",
                        JOB_TIMEOUT,
                        () -> {
                            Map<Integer, UnitRow> u = jobs.units(id, "decode");
                            boolean settled =
                                    u.size() == 6
                                            && u.values().stream()
                                                    .allMatch(
                                                            r ->
                                                                    r.state().equals("done")
                                                                            || r.state()
                                                                                    .equals(
                                                                                            "dropped"));
                            return settled ? u : null;
                        });
        assertThat(jobs.job(id).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(units.get(0).state()).isEqualTo("done");
        assertThat(units.values()).filteredOn(u -> u.state().equals("dropped")).hasSize(5);
        assertThat(jobs.frames(id))
                .extracting(FrameRow::index)
                .containsExactlyElementsOf(range(60));
        try (Stream<Path> files =
                Files.list(jobs.blobFile("frames/" + id + "/0.jpg").getParent())) {
            assertThat(files.count()).as("frames of dropped segments are deleted").isEqualTo(60);
        }
    }

    private static DeadLetter singleDeadLetter(String jobId) throws Exception {
        List<DeadLetterRow> letters = jobs.deadLetters(jobId);
        assertThat(letters).hasSize(1);
        return letters.get(0).letter();
    }

    /** The job's one record on the DLQ topic, read as committed data; fails on a duplicate. */
    private static JsonNode awaitPublished(String jobId) throws Exception {
        List<JsonNode> mine =
                TopicReader.committed(services, dlqTopic, jobId, r -> !r.isEmpty(), JOB_TIMEOUT);
        assertThat(mine).hasSize(1);
        return mine.get(0);
    }

    private static List<Long> range(long n) {
        return LongStream.range(0, n).boxed().toList();
    }
}
