package dev.vidprocme.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.testing.TestingLogAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where segments decode: the CPU unless a GPU is assigned and FFmpeg can open it, and a fallback
 * that says why once. Each test uses its own GPU index, because what failed is remembered, and
 * said, once per process and index.
 */
class HardwareDecodingTest {
    @TempDir static Path dir;
    private static Path clip;
    private static SegmentTask task;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = SyntheticClips.testPattern(dir.resolve("pattern.mp4"), 1, 30, 320, 180);
        JobRequest request =
                new JobRequest(
                        "job",
                        clip.toUri().toString(),
                        new JobSpec(null, 5, FrameSpec.everyFrame(), null),
                        0);
        task = SegmentPlanner.plan(request, MediaProbe.probe(clip), 60_000_000L).get(0);
    }

    @Test
    void hwaccelNoneDecodesOnTheCpuEvenWithAGpuAssigned() throws Exception {
        SegmentDecoder decoder = new SegmentDecoder(1, 1, HwAccel.NONE, 3);

        DecodeOutcome outcome = decoder.decode(clip, task, (i, p, w, h, jpeg) -> {}, () -> false);

        assertThat(decoder.device()).isEqualTo("cpu");
        assertThat(outcome.device()).isEqualTo("cpu");
        assertThat(outcome.frames()).isEqualTo(30);
    }

    @Test
    void autoWithoutAnAssignedGpuDecodesOnTheCpuWithoutComplaint() throws Exception {
        try (TestingLogAppender log = TestingLogAppender.attach(HardwareDecoder.class)) {
            SegmentDecoder decoder = new SegmentDecoder(1, 1, HwAccel.AUTO, null);

            DecodeOutcome outcome =
                    decoder.decode(clip, task, (i, p, w, h, jpeg) -> {}, () -> false);

            assertThat(outcome.device()).isEqualTo("cpu");
            assertThat(log.messages()).isEmpty();
        }
    }

    @Test
    void autoFallsBackToTheCpuWhenNoCudaDeviceOpensAndSaysWhyOnce() throws Exception {
        try (TestingLogAppender log = TestingLogAppender.attach(HardwareDecoder.class)) {
            SegmentDecoder first = new SegmentDecoder(1, 1, HwAccel.AUTO, 5);
            assumeTrue(
                    first.device().equals("cpu"),
                    "CUDA device 5 opens on this machine; this test is for machines without it");
            SegmentDecoder second = new SegmentDecoder(1, 1, HwAccel.AUTO, 5);
            List<Long> frames = new ArrayList<>();

            for (SegmentDecoder decoder : List.of(first, second)) {
                DecodeOutcome outcome =
                        decoder.decode(
                                clip, task, (i, p, w, h, jpeg) -> frames.add(i), () -> false);
                assertThat(outcome.device()).isEqualTo("cpu");
                assertThat(outcome.frames()).isEqualTo(30);
            }

            assertThat(frames).hasSize(60);
            assertThat(log.messages())
                    .singleElement()
                    .satisfies(
                            m ->
                                    assertThat(m)
                                            .containsAnyOf(
                                                    "cannot open CUDA device 5", "no CUDA support")
                                            .contains("decoding on the CPU"));
        }
    }

    @Test
    void cudaRefusesToStartWhenNoCudaDeviceOpens() {
        assumeTrue(
                new SegmentDecoder(1, 1, HwAccel.AUTO, 6).device().equals("cpu"),
                "CUDA device 6 opens on this machine; this test is for machines without it");

        assertThatIllegalStateException()
                .isThrownBy(() -> new SegmentDecoder(1, 1, HwAccel.CUDA, 6))
                .withMessageContaining("vidproc.gpu.hwaccel=cuda")
                .withMessageContaining("use auto to fall back to the CPU");
    }

    @Test
    void autoDecodesOnTheAssignedGpuWhenItOpens() throws Exception {
        SegmentDecoder decoder = new SegmentDecoder(1, 1, HwAccel.AUTO, 0);
        assumeFalse(decoder.device().equals("cpu"), "no CUDA device 0 on this machine");
        List<Long> frames = new ArrayList<>();

        DecodeOutcome outcome =
                decoder.decode(clip, task, (i, p, w, h, jpeg) -> frames.add(i), () -> false);

        assertThat(outcome.device()).isEqualTo("cuda:0");
        assertThat(outcome.frames()).isEqualTo(30);
        assertThat(frames).hasSize(30).doesNotHaveDuplicates();
    }
}
