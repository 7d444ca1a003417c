package dev.vidprocme.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.records.VideoInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentPlannerTest {
    private static final long SECOND = 1_000_000;

    @TempDir static Path dir;
    private static ProbeResult tenSeconds;
    private static ProbeResult transportStream;

    @BeforeAll
    static void probeClips() throws IOException, MediaException {
        Path mp4 = SyntheticClips.testPattern(dir.resolve("ten.mp4"), 10, 30, 320, 180);
        Path ts =
                SyntheticClips.run(
                        dir.resolve("ten.ts"),
                        List.of("-i", mp4.toString(), "-c", "copy", "-f", "mpegts"));
        tenSeconds = MediaProbe.probe(mp4);
        transportStream = MediaProbe.probe(ts);
    }

    @Test
    void segmentsStartOnKeyframesAboutTheTargetApart() {
        List<SegmentTask> plan = SegmentPlanner.plan(request(null), tenSeconds, 3 * SECOND);

        assertThat(plan)
                .extracting(SegmentTask::startUs)
                .containsExactly(0L, 3 * SECOND, 6 * SECOND);
        long[] keys = tenSeconds.keyframePtsUs();
        for (SegmentTask task : plan) {
            assertThat(Arrays.binarySearch(keys, task.startUs()))
                    .as("segment %d start", task.segmentIndex())
                    .isNotNegative();
        }
    }

    @Test
    void segmentsCoverTheStreamWithoutGapOrOverlap() {
        List<SegmentTask> plan = SegmentPlanner.plan(request(null), tenSeconds, 3 * SECOND);

        assertThat(plan.get(0).startUs()).isZero();
        for (int i = 0; i < plan.size(); i++) {
            SegmentTask task = plan.get(i);
            assertThat(task.segmentIndex()).isEqualTo(i);
            assertThat(task.segmentCount()).isEqualTo(plan.size());
            assertThat(task.lastSegment()).isEqualTo(i == plan.size() - 1);
            if (i > 0) {
                assertThat(task.startUs()).isEqualTo(plan.get(i - 1).endUs());
            }
        }
        assertThat(plan.get(plan.size() - 1).endUs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void frameIndicesOfTheSegmentsAddUpToTheFrameCount() {
        List<SegmentTask> plan = SegmentPlanner.plan(request(null), tenSeconds, 3 * SECOND);

        assertThat(plan).extracting(SegmentTask::firstFrameIndex).containsExactly(0L, 90L, 180L);
        assertThat(plan).extracting(SegmentTask::expectedFrames).containsExactly(90L, 90L, 120L);
        long next = 0;
        for (SegmentTask task : plan) {
            assertThat(task.firstFrameIndex()).isEqualTo(next);
            next += task.expectedFrames();
        }
        assertThat(next).isEqualTo(tenSeconds.video().frameCount()).isEqualTo(300);
    }

    @Test
    void sampleIndicesForOneFpsPartitionTheTenSamples() {
        List<SegmentTask> plan = SegmentPlanner.plan(request(1.0), tenSeconds, 3 * SECOND);

        assertThat(plan).extracting(SegmentTask::firstSampleIndex).containsExactly(0L, 3L, 6L);
        long[] owned = new long[10];
        for (int i = 0; i < plan.size(); i++) {
            long from = plan.get(i).firstSampleIndex();
            long to = i + 1 < plan.size() ? plan.get(i + 1).firstSampleIndex() : 10;
            for (long k = from; k < to; k++) {
                owned[(int) k]++;
            }
        }
        assertThat(owned).containsOnly(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 7})
    void indicesDoNotDependOnWhereTheCutsFall(long targetSeconds) {
        List<SegmentTask> plan =
                SegmentPlanner.plan(request(null), tenSeconds, targetSeconds * SECOND);

        long[] firstIndexPerStart =
                plan.stream()
                        .mapToLong(
                                t ->
                                        LongStream.of(tenSeconds.framePtsUs())
                                                .filter(p -> p < t.startUs())
                                                .count())
                        .toArray();
        assertThat(plan)
                .extracting(SegmentTask::firstFrameIndex)
                .containsExactly(LongStream.of(firstIndexPerStart).boxed().toArray(Long[]::new));
        assertThat(plan.stream().mapToLong(SegmentTask::expectedFrames).sum()).isEqualTo(300);
    }

    @Test
    void doesNotCutOffATailShorterThanHalfATarget() {
        List<SegmentTask> plan = SegmentPlanner.plan(request(null), tenSeconds, 4 * SECOND);

        // The keyframe at 8 s would leave 1.97 s (the last frame starts at 9.97 s), less than half
        // of 4 s.
        assertThat(plan).extracting(SegmentTask::startUs).containsExactly(0L, 4 * SECOND);
        assertThat(plan.get(1).expectedFrames()).isEqualTo(180);
        assertThat(SegmentPlanner.plan(request(null), tenSeconds, 5 * SECOND))
                .extracting(SegmentTask::startUs)
                .containsExactly(0L, 5 * SECOND);
        assertThat(SegmentPlanner.plan(request(null), tenSeconds, 9 * SECOND))
                .extracting(SegmentTask::startUs)
                .containsExactly(0L);
    }

    @Test
    void aContainerWithoutExactSeekGivesOneSegment() {
        assertThat(transportStream.exactSeek()).isFalse();

        List<SegmentTask> plan = SegmentPlanner.plan(request(null), transportStream, 3 * SECOND);

        assertThat(plan).hasSize(1);
        SegmentTask only = plan.get(0);
        assertThat(only.startUs()).isZero();
        assertThat(only.lastSegment()).isTrue();
        assertThat(only.firstFrameIndex()).isZero();
        assertThat(only.expectedFrames()).isEqualTo(300);
    }

    @Test
    void aNonPositiveTargetGivesOneSegment() {
        assertThat(SegmentPlanner.plan(request(null), tenSeconds, 0)).hasSize(1);
    }

    @Test
    void tasksCarryTheJobAndVideoDetails() {
        JobRequest request =
                new JobRequest(
                        "job-7",
                        "blob:uploads/job-7/source",
                        new JobSpec(null, 8, new FrameSpec(2.0, 160, 70), null),
                        1234);

        SegmentTask task = SegmentPlanner.plan(request, tenSeconds, 3 * SECOND).get(1);

        assertThat(task.jobId()).isEqualTo("job-7");
        assertThat(task.inputUri()).isEqualTo("blob:uploads/job-7/source");
        assertThat(task.originUs()).isEqualTo(tenSeconds.originUs());
        assertThat(task.frameDurationUs()).isEqualTo(33_333);
        assertThat(task.frames()).isEqualTo(new FrameSpec(2.0, 160, 70));
        assertThat(task.rotation()).isZero();
        assertThat(task.priority()).isEqualTo(8);
        assertThat(task.submittedAtMs()).isEqualTo(1234);
        assertThat(task.firstSampleIndex()).isEqualTo(6);
    }

    @Test
    void firstSampleIsTheFirstSampleDueAfterTheStartMinusHalfAFrame() {
        FrameSpec oneFps = new FrameSpec(1.0, null, 90);
        long frame = 33_333;

        assertThat(SegmentPlanner.firstSample(oneFps, 0, frame)).isZero();
        // Sample 3 is due at exactly 3 s: a segment starting at 3 s owns it.
        assertThat(SegmentPlanner.firstSample(oneFps, 3 * SECOND, frame)).isEqualTo(3);
        // A frame at 2.99 s (within half a frame of 3 s) claims sample 3, so a segment starting
        // there owns it.
        assertThat(SegmentPlanner.firstSample(oneFps, 2_990_000, frame)).isEqualTo(3);
        // Starting more than half a frame after 3 s, sample 3 belongs to the previous segment.
        assertThat(SegmentPlanner.firstSample(oneFps, 3_020_000, frame)).isEqualTo(4);
        assertThat(SegmentPlanner.firstSample(FrameSpec.everyFrame(), 3 * SECOND, frame)).isZero();
        assertThat(SegmentPlanner.firstSample(new FrameSpec(2.5, null, 90), SECOND, frame))
                .isEqualTo(3);
    }

    @Test
    void sampleTimesFollowTheFpsGrid() {
        assertThat(SegmentPlanner.sampleTimeUs(1, 4)).isEqualTo(4 * SECOND);
        assertThat(SegmentPlanner.sampleTimeUs(3, 1)).isEqualTo(333_333);
        assertThat(SegmentPlanner.sampleTimeUs(2.5, 3)).isEqualTo(1_200_000);
    }

    @Test
    void aHandBuiltIndexWithoutExactSeekGivesOneSegment() {
        long[] frames = LongStream.range(0, 100).map(i -> i * 40_000).toArray();
        long[] keys = LongStream.range(0, 4).map(i -> i * 1_000_000).toArray();
        ProbeResult probe =
                new ProbeResult(
                        new VideoInfo("avi", "mpeg4", 320, 240, 25, 4000, 0, 100),
                        0,
                        frames,
                        keys,
                        false,
                        0,
                        null);

        assertThat(SegmentPlanner.plan(request(null), probe, SECOND))
                .singleElement()
                .satisfies(t -> assertThat(t.expectedFrames()).isEqualTo(100));
    }

    private static JobRequest request(Double fps) {
        return new JobRequest(
                "job",
                "file:///in.mp4",
                new JobSpec(null, 5, new FrameSpec(fps, null, 90), null),
                0);
    }
}
