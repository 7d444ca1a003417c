package dev.vidprocme.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.OutputProgress;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.VideoInfo;
import dev.vidprocme.records.VideoOutputSpec;
import dev.vidprocme.records.WorkResult;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobTrackerTest {
    private static final String JOB = "job-1";
    private static final JobRequest REQUEST =
            new JobRequest(JOB, "blob:uploads/job-1/source", JobSpec.defaults(), 1000);
    private static final VideoInfo VIDEO =
            new VideoInfo("mov,mp4,m4a,3gp,3g2,mj2", "h264", 640, 360, 30, 5000, 0, 150);

    private KeyedTwoInputStreamOperatorTestHarness<String, JobPlan, WorkResult, JobUpdate> harness;

    @BeforeEach
    void open() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void planThenAllSegmentsRunsReportsProgressAndCompletesOnce() throws Exception {
        harness.processElement1(plan(JOB, 3), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 50)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 50)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 2, 40)), 0);

        List<JobUpdate> updates = updates();
        assertThat(updates)
                .extracting(JobUpdate::status)
                .containsExactly(
                        JobStatus.RUNNING,
                        JobStatus.RUNNING,
                        JobStatus.RUNNING,
                        JobStatus.COMPLETED);
        assertThat(updates).extracting(JobUpdate::seq).containsExactly(1, 2, 3, 4);
        assertThat(updates).extracting(JobUpdate::jobId).containsOnly(JOB);

        JobUpdate running = updates.get(0);
        assertThat(running.video()).isEqualTo(VIDEO);
        assertThat(running.progress()).isZero();
        assertThat(running.framesExtracted()).isZero();
        assertThat(updates.get(1).progress())
                .isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(updates.get(1).framesExtracted()).isEqualTo(50);
        assertThat(updates.get(2).progress())
                .isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(updates.get(2).framesExtracted()).isEqualTo(100);

        JobUpdate completed = updates.get(3);
        assertThat(completed.progress()).isEqualTo(1.0);
        assertThat(completed.framesExtracted()).isEqualTo(140);
        assertThat(completed.failureCode()).isNull();
        assertThat(completed.failureMessage()).isNull();
        assertThat(completed.damage()).isNull();
    }

    @Test
    void resultsBeforeThePlanStillCompleteExactlyOnce() throws Exception {
        harness.processElement2(WorkResult.of(ok(JOB, 2, 10)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 10)), 0);
        assertThat(updates()).isEmpty();

        harness.processElement1(plan(JOB, 3), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 10)), 0);

        List<JobUpdate> updates = updates();
        assertThat(terminal(updates))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(JobStatus.COMPLETED);
                            assertThat(u.framesExtracted()).isEqualTo(30);
                            assertThat(u.progress()).isEqualTo(1.0);
                        });
        assertThat(updates.get(updates.size() - 1).status()).isEqualTo(JobStatus.COMPLETED);
        assertSeqIncreasesFromOne(updates);
        assertThat(updates.get(0).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(updates.get(0).video()).isEqualTo(VIDEO);
        assertThat(updates.get(0).progress())
                .isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void allResultsBeforeThePlanCompleteWhenThePlanArrives() throws Exception {
        harness.processElement2(WorkResult.of(ok(JOB, 0, 10)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 5)), 0);

        harness.processElement1(plan(JOB, 2), 0);

        assertThat(updates())
                .extracting(JobUpdate::status)
                .containsExactly(JobStatus.RUNNING, JobStatus.COMPLETED);
        assertThat(updates().get(1).framesExtracted()).isEqualTo(15);
        assertSeqIncreasesFromOne(updates());
    }

    @Test
    void aDuplicateSegmentResultIsIgnored() throws Exception {
        harness.processElement1(plan(JOB, 2), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 30)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 30)), 0);
        assertThat(terminal(updates())).isEmpty();

        harness.processElement2(WorkResult.of(ok(JOB, 1, 20)), 0);

        List<JobUpdate> updates = updates();
        assertThat(updates)
                .extracting(JobUpdate::status)
                .containsExactly(JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.COMPLETED);
        assertThat(updates.get(2).framesExtracted()).isEqualTo(50);
    }

    @Test
    void aDuplicatePlanIsIgnored() throws Exception {
        harness.processElement1(plan(JOB, 2), 0);
        harness.processElement1(plan(JOB, 2), 0);

        assertThat(updates()).hasSize(1);
    }

    @Test
    void aFailedPlanFailsTheJobOnceWithItsCodeAndMessage() throws Exception {
        harness.processElement1(
                JobPlan.failed(JOB, FailureCode.MP4_MISSING_MOOV, "the MP4 has no moov atom", 7),
                0);

        assertThat(updates())
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(JobStatus.FAILED);
                            assertThat(u.seq()).isEqualTo(1);
                            assertThat(u.failureCode()).isEqualTo(FailureCode.MP4_MISSING_MOOV);
                            assertThat(u.failureMessage()).isEqualTo("the MP4 has no moov atom");
                            assertThat(u.video()).isNull();
                        });
    }

    @Test
    void aFailedSegmentFailsTheJobAfterAllSegmentsReport() throws Exception {
        harness.processElement1(plan(JOB, 3), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 30)), 0);
        harness.processElement2(
                WorkResult.of(
                        failed(
                                JOB,
                                1,
                                FailureCode.DEADLINE_EXCEEDED,
                                "decoding was stopped at its deadline")),
                0);
        assertThat(terminal(updates())).isEmpty();

        harness.processElement2(WorkResult.of(ok(JOB, 2, 30)), 0);

        List<JobUpdate> updates = updates();
        assertThat(terminal(updates))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(JobStatus.FAILED);
                            assertThat(u.failureCode()).isEqualTo(FailureCode.DEADLINE_EXCEEDED);
                            assertThat(u.failureMessage())
                                    .isEqualTo("decoding was stopped at its deadline");
                            assertThat(u.framesExtracted()).isEqualTo(60);
                        });
        assertThat(updates.get(updates.size() - 1).status()).isEqualTo(JobStatus.FAILED);
        assertSeqIncreasesFromOne(updates);
    }

    @Test
    void theFirstSegmentFailureIsTheOneReported() throws Exception {
        harness.processElement1(plan(JOB, 2), 0);
        harness.processElement2(
                WorkResult.of(failed(JOB, 1, FailureCode.DECODE_FAILED, "first")), 0);
        harness.processElement2(
                WorkResult.of(failed(JOB, 0, FailureCode.STORAGE_FAILED, "second")), 0);

        assertThat(terminal(updates()))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.failureCode()).isEqualTo(FailureCode.DECODE_FAILED);
                            assertThat(u.failureMessage()).isEqualTo("first");
                        });
    }

    @Test
    void zeroFramesWithoutFailuresFailsAsDecodeFailed() throws Exception {
        harness.processElement1(plan(JOB, 2), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 0)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 0)), 0);

        assertThat(terminal(updates()))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(JobStatus.FAILED);
                            assertThat(u.failureCode()).isEqualTo(FailureCode.DECODE_FAILED);
                            assertThat(u.failureMessage()).isNotBlank();
                        });
    }

    @Test
    void aDamageNoteIsCarriedToTheUpdates() throws Exception {
        harness.processElement1(plan(JOB, 2), 0);
        harness.processElement2(
                WorkResult.of(new SegmentResult(JOB, 0, 10, 3, null, "3 decode error(s)", 5)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 10)), 0);

        JobUpdate completed = updates().get(updates().size() - 1);
        assertThat(completed.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(completed.damage()).isEqualTo("3 decode error(s)");
    }

    @Test
    void nothingIsEmittedForAJobAfterItsTerminalStatus() throws Exception {
        harness.processElement1(plan(JOB, 1), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 10)), 0);
        int before = updates().size();
        assertThat(updates().get(before - 1).status()).isEqualTo(JobStatus.COMPLETED);

        harness.processElement2(WorkResult.of(ok(JOB, 0, 10)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 10)), 0);
        harness.processElement2(WorkResult.of(failed(JOB, 2, FailureCode.INTERNAL, "late")), 0);
        harness.processElement1(plan(JOB, 1), 0);
        harness.processElement1(JobPlan.failed(JOB, FailureCode.INTERNAL, "late", 0), 0);

        assertThat(updates()).hasSize(before);
    }

    @Test
    void nothingIsEmittedAfterAFailedPlan() throws Exception {
        harness.processElement1(
                JobPlan.failed(JOB, FailureCode.UNRECOGNIZED_FORMAT, "not a video", 0), 0);

        harness.processElement2(WorkResult.of(ok(JOB, 0, 10)), 0);
        harness.processElement1(plan(JOB, 1), 0);

        assertThat(updates()).hasSize(1);
    }

    @Test
    void jobsAreTrackedIndependently() throws Exception {
        harness.processElement1(plan("a", 2), 0);
        harness.processElement1(plan("b", 1), 0);
        harness.processElement2(WorkResult.of(ok("a", 0, 5)), 0);
        harness.processElement2(WorkResult.of(ok("b", 0, 7)), 0);
        harness.processElement2(WorkResult.of(ok("a", 1, 5)), 0);

        List<JobUpdate> updates = updates();
        assertThat(terminal(updates))
                .extracting(JobUpdate::jobId, JobUpdate::framesExtracted)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("b", 7L),
                        org.assertj.core.groups.Tuple.tuple("a", 10L));
        assertSeqIncreasesFromOne(updates.stream().filter(u -> u.jobId().equals("a")).toList());
        assertSeqIncreasesFromOne(updates.stream().filter(u -> u.jobId().equals("b")).toList());
    }

    @Test
    void aRestoredTrackerCompletesTheJobExactlyOnce() throws Exception {
        harness.processElement1(plan(JOB, 3), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 40)), 0);
        List<JobUpdate> beforeSnapshot = updates();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement2(WorkResult.of(ok(JOB, 0, 40)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 40)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 2, 20)), 0);

        List<JobUpdate> afterRestore = updates();
        assertThat(afterRestore)
                .extracting(JobUpdate::status)
                .containsExactly(JobStatus.RUNNING, JobStatus.COMPLETED);
        assertThat(afterRestore).extracting(JobUpdate::seq).containsExactly(3, 4);
        assertThat(afterRestore.get(1).framesExtracted()).isEqualTo(100);
        assertThat(beforeSnapshot).extracting(JobUpdate::seq).containsExactly(1, 2);
    }

    @Test
    void aRestoredTrackerRemembersTheTerminalStatus() throws Exception {
        harness.processElement1(plan(JOB, 1), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 40)), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement1(plan(JOB, 1), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 40)), 0);

        assertThat(updates()).isEmpty();
    }

    @Test
    void aDeadLetteredSegmentFailsTheJobAtOnceAndRidesOnTheTerminalUpdate() throws Exception {
        harness.processElement1(planFor(JOB, 3, false), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 50)), 0);
        harness.processElement2(WorkResult.of(dead(JOB, 1)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 2, 50)), 0);

        List<JobUpdate> updates = updates();
        JobUpdate last = updates.get(updates.size() - 1);
        assertThat(last.status()).isEqualTo(JobStatus.FAILED);
        assertThat(last.failureCode()).isEqualTo(FailureCode.STORAGE_FAILED);
        assertThat(last.failureMessage())
                .isEqualTo("segment 1 failed after 4 attempt(s): disk on fire");
        assertThat(last.deadLetter().id()).isEqualTo(DeadLetter.idFor(JOB, "decode", 1));
        assertThat(last.deadLetter().attempts()).isEqualTo(4);
        assertThat(last.deadLetter().errorClass()).isEqualTo("java.io.IOException");
        assertThat(last.deadLetter().request()).isEqualTo(REQUEST);
        assertThat(terminal(updates)).hasSize(1);
        assertThat(deadLetters()).containsExactly(last.deadLetter());
    }

    @Test
    void withPartialResultsAllowedTheJobFinishesItsOtherSegmentsAndEndsPartial() throws Exception {
        harness.processElement1(planFor(JOB, 3, true), 0);
        harness.processElement2(WorkResult.of(dead(JOB, 1)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 50)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 2, 50)), 0);

        List<JobUpdate> updates = updates();
        assertSeqIncreasesFromOne(updates);
        assertThat(updates)
                .extracting(JobUpdate::status)
                .containsExactly(
                        JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.RUNNING, JobStatus.PARTIAL);
        assertThat(updates.get(1).deadLetter()).isNotNull();
        JobUpdate last = updates.get(3);
        assertThat(last.framesExtracted()).isEqualTo(100);
        assertThat(last.failureMessage())
                .isEqualTo("1 of 3 segment(s) dead-lettered; first: disk on fire");
        assertThat(deadLetters()).hasSize(1);
    }

    @Test
    void aSegmentLostBeforeThePlanArrivesIsDeadLetteredWhenItDoes() throws Exception {
        harness.processElement2(WorkResult.of(dead(JOB, 0)), 0);
        assertThat(updates()).isEmpty();

        harness.processElement1(planFor(JOB, 2, false), 0);

        assertThat(terminal(updates()))
                .extracting(JobUpdate::status)
                .containsExactly(JobStatus.FAILED);
        assertThat(deadLetters()).extracting(DeadLetter::unit).containsExactly(0);
    }

    @Test
    void droppedSegmentsEndTheJobCancelled() throws Exception {
        harness.processElement1(planFor(JOB, 2, false), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 50)), 0);
        harness.processElement2(WorkResult.of(dropped(JOB, 1)), 0);

        List<JobUpdate> terminal = terminal(updates());
        assertThat(terminal).extracting(JobUpdate::status).containsExactly(JobStatus.CANCELLED);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aPlanGivenUpAfterEveryAttemptIsDeadLetteredAsThePlanStage() throws Exception {
        harness.processElement1(
                JobPlan.failed(
                        REQUEST,
                        FailureCode.PROBE_FAILED,
                        "cannot read the header",
                        Disposition.DEAD_LETTER,
                        6,
                        "probe_failed"),
                0);

        JobUpdate only = updates().get(0);
        assertThat(only.status()).isEqualTo(JobStatus.FAILED);
        assertThat(only.failureMessage())
                .isEqualTo("planning failed after 6 attempt(s): cannot read the header");
        assertThat(only.deadLetter().stage()).isEqualTo("plan");
        assertThat(deadLetters()).containsExactly(only.deadLetter());
    }

    @Test
    void aPlanDroppedBecauseTheJobWasCancelledEndsItCancelledWithoutADeadLetter() throws Exception {
        harness.processElement1(
                JobPlan.failed(REQUEST, null, null, Disposition.DROPPED, 0, null), 0);

        assertThat(updates()).extracting(JobUpdate::status).containsExactly(JobStatus.CANCELLED);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aJobWithOutputsCompletesOnlyOnceEveryOutputIsVerified() throws Exception {
        harness.processElement1(withOutputs(false), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 75)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 75)), 0);
        assertThat(terminal(updates())).isEmpty();

        harness.processElement2(WorkResult.of(part(0, 0, Disposition.DONE)), 0);
        harness.processElement2(WorkResult.of(part(0, 0, Disposition.DONE)), 0);
        JobUpdate halfway = last(updates());
        assertThat(halfway.outputs())
                .containsExactly(
                        new OutputProgress("480p", 0.5, false),
                        new OutputProgress("thumbnails", 0.0, false));
        // Decoding done (1), 480p half (0.5), thumbnails not started (0), over three parts.
        assertThat(halfway.progress()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));

        harness.processElement2(WorkResult.of(part(0, 1, Disposition.DONE)), 0);
        harness.processElement2(WorkResult.of(finalOf(0, "480p", Disposition.DONE)), 0);
        assertThat(terminal(updates())).isEmpty();

        harness.processElement2(WorkResult.of(finalOf(1, "thumbnails", Disposition.DONE)), 0);
        List<JobUpdate> updates = updates();
        assertThat(terminal(updates))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(JobStatus.COMPLETED);
                            assertThat(u.outputs())
                                    .extracting(OutputProgress::done)
                                    .containsExactly(true, true);
                        });
        assertSeqIncreasesFromOne(updates);
    }

    @Test
    void aJobThatDecodesNothingCompletesWithItsOutputs() throws Exception {
        JobPlan transcodeOnly =
                new JobPlan(JOB, VIDEO, 0, 0, null, null, 1000)
                        .withRequest(withOutputs(false).request(), 1);
        harness.processElement1(transcodeOnly, 0);
        harness.processElement2(WorkResult.of(part(0, 0, Disposition.DONE)), 0);
        harness.processElement2(WorkResult.of(part(0, 1, Disposition.DONE)), 0);
        harness.processElement2(WorkResult.of(finalOf(0, "480p", Disposition.DONE)), 0);
        assertThat(terminal(updates())).isEmpty();

        harness.processElement2(WorkResult.of(finalOf(1, "thumbnails", Disposition.DONE)), 0);

        List<JobUpdate> updates = updates();
        assertThat(terminal(updates))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(JobStatus.COMPLETED);
                            assertThat(u.framesExtracted()).isZero();
                            assertThat(u.progress()).isEqualTo(1.0);
                        });
        // The outputs are all the work: 480p half encoded, thumbnails not started.
        assertThat(updates.get(0).progress()).isZero();
        assertThat(updates.get(1).progress()).isEqualTo(0.25);
    }

    @Test
    void transcodeResultsBeforeThePlanAreCountedWhenItArrives() throws Exception {
        harness.processElement2(WorkResult.of(finalOf(0, "480p", Disposition.DONE)), 0);
        harness.processElement2(WorkResult.of(finalOf(1, "thumbnails", Disposition.DONE)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 75)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 75)), 0);
        assertThat(updates()).isEmpty();

        harness.processElement1(withOutputs(false), 0);

        assertThat(terminal(updates()))
                .extracting(JobUpdate::status)
                .containsExactly(JobStatus.COMPLETED);
    }

    @Test
    void aDeadLetteredPartFailsTheJobWithATranscodeDeadLetter() throws Exception {
        harness.processElement1(withOutputs(false), 0);
        harness.processElement2(WorkResult.of(part(0, 1, Disposition.DEAD_LETTER)), 0);

        assertThat(terminal(updates()))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.status()).isEqualTo(JobStatus.FAILED);
                            assertThat(u.failureMessage())
                                    .startsWith("output 480p part 1 failed after 3 attempt(s)");
                        });
        assertThat(deadLetters())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.stage()).isEqualTo("transcode");
                            assertThat(d.unit()).isEqualTo(2);
                        });
    }

    @Test
    void withPartialResultsALostOutputEndsThePartial() throws Exception {
        harness.processElement1(withOutputs(true), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 0, 75)), 0);
        harness.processElement2(WorkResult.of(ok(JOB, 1, 75)), 0);
        harness.processElement2(WorkResult.of(part(0, 0, Disposition.DEAD_LETTER)), 0);
        harness.processElement2(WorkResult.of(part(0, 1, Disposition.DEAD_LETTER)), 0);
        assertThat(terminal(updates())).isEmpty();

        harness.processElement2(WorkResult.of(finalOf(1, "thumbnails", Disposition.DONE)), 0);

        assertThat(terminal(updates()))
                .extracting(JobUpdate::status)
                .containsExactly(JobStatus.PARTIAL);
        assertThat(deadLetters()).hasSize(2);
    }

    @Test
    void aDroppedTranscodeUnitEndsTheJobCancelled() throws Exception {
        harness.processElement1(withOutputs(false), 0);
        harness.processElement2(WorkResult.of(part(0, 0, Disposition.DROPPED)), 0);

        assertThat(terminal(updates()))
                .extracting(JobUpdate::status)
                .containsExactly(JobStatus.CANCELLED);
    }

    private static JobPlan withOutputs(boolean allowPartial) {
        JobSpec spec =
                new JobSpec(
                        null,
                        null,
                        null,
                        allowPartial,
                        null,
                        List.of(
                                new OutputSpec(
                                        "480p",
                                        "mp4",
                                        new VideoOutputSpec("h264", 480, 23, null, null, null),
                                        null)),
                        null,
                        null);
        return new JobPlan(JOB, VIDEO, 2, 150, null, null, 1000)
                .withRequest(new JobRequest(JOB, "blob:uploads/job-1/source", spec, 1000), 1);
    }

    /** Part {@code part} of output {@code output}, covering half of the 5 s input. */
    private static TranscodeResult part(int output, int part, Disposition disposition) {
        boolean done = disposition == Disposition.DONE;
        return new TranscodeResult(
                JOB,
                "480p",
                output,
                part,
                2,
                2_500_000,
                5_000_000,
                done ? 1000 : 0,
                disposition,
                done ? 1 : 3,
                done ? null : FailureCode.INTERNAL,
                done ? null : "ffmpeg exited with 1",
                done ? null : "encode_failed");
    }

    private static TranscodeResult finalOf(int output, String name, Disposition disposition) {
        return new TranscodeResult(
                JOB,
                name,
                output,
                TranscodeResult.FINAL,
                2,
                5_000_000,
                5_000_000,
                2000,
                disposition,
                1,
                null,
                null,
                null);
    }

    private static JobUpdate last(List<JobUpdate> updates) {
        return updates.get(updates.size() - 1);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, JobPlan, WorkResult, JobUpdate>
            newHarness() throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new JobTracker()),
                JobPlan::jobId,
                WorkResult::jobId,
                Types.STRING);
    }

    private List<JobUpdate> updates() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(JobTracker.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(r -> r.getValue()).toList();
    }

    private static JobPlan planFor(String jobId, int segments, boolean allowPartial) {
        JobRequest request =
                new JobRequest(
                        jobId,
                        REQUEST.inputUri(),
                        new JobSpec(null, null, null, allowPartial),
                        REQUEST.submittedAtMs());
        return plan(jobId, segments).withRequest(request, 1);
    }

    private static SegmentResult dead(String jobId, int segment) {
        return new SegmentResult(
                jobId,
                segment,
                0,
                0,
                FailureCode.STORAGE_FAILED,
                "disk on fire",
                10,
                Disposition.DEAD_LETTER,
                4,
                "java.io.IOException",
                null);
    }

    private static SegmentResult dropped(String jobId, int segment) {
        return new SegmentResult(
                jobId, segment, 0, 0, null, null, 10, Disposition.DROPPED, 0, null, null);
    }

    private static List<JobUpdate> terminal(List<JobUpdate> updates) {
        return updates.stream().filter(u -> u.status().isTerminal()).toList();
    }

    private static void assertSeqIncreasesFromOne(List<JobUpdate> updates) {
        for (int i = 0; i < updates.size(); i++) {
            assertThat(updates.get(i).seq()).as("seq of update %d", i).isEqualTo(i + 1);
        }
    }

    private static JobPlan plan(String jobId, int segments) {
        return new JobPlan(jobId, VIDEO, segments, 150, null, null, 1000);
    }

    private static SegmentResult ok(String jobId, int segment, long frames) {
        return new SegmentResult(jobId, segment, frames, 0, null, null, 10);
    }

    private static SegmentResult failed(
            String jobId, int segment, FailureCode code, String message) {
        return new SegmentResult(jobId, segment, 0, 0, code, message, 10);
    }
}
