package dev.vidprocme.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentTask;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentDecoderTest {
    private static final long SECOND = 1_000_000;

    @TempDir static Path dir;
    private static Path clip;
    private static ProbeResult clipProbe;
    private static Path rotated;
    private static Path transportStream;

    private final SegmentDecoder decoder = new SegmentDecoder(1);

    @BeforeAll
    static void makeClips() throws IOException, MediaException {
        clip = SyntheticClips.testPattern(dir.resolve("pattern.mp4"), 5, 30, 640, 360);
        clipProbe = MediaProbe.probe(clip);
        rotated = SyntheticClips.rotated(dir.resolve("rotated.mp4"), 1, 30, 640, 360, -90);
        transportStream =
                SyntheticClips.run(
                        dir.resolve("pattern.ts"),
                        List.of("-i", clip.toString(), "-c", "copy", "-f", "mpegts"));
    }

    @Test
    void decodingEverySegmentYieldsEachFrameIndexExactlyOnce() throws Exception {
        List<SegmentTask> plan = plan(clip, clipProbe, FrameSpec.everyFrame(), SECOND);
        assertThat(plan).hasSizeGreaterThan(2);

        List<Frame> frames = decodeAll(clip, plan);

        assertThat(frames)
                .extracting(Frame::index)
                .containsExactlyInAnyOrderElementsOf(range(0, 150));
        Map<Long, Frame> byIndex = byIndex(frames);
        long previous = Long.MIN_VALUE;
        for (Frame frame : byIndex.values()) {
            assertThat(frame.ptsUs()).as("pts of frame %d", frame.index()).isGreaterThan(previous);
            previous = frame.ptsUs();
            assertThat(frame.width()).isEqualTo(640);
            assertThat(frame.height()).isEqualTo(360);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.jpeg()));
            assertThat(image).as("JPEG of frame %d", frame.index()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(360);
        }
        assertThat(byIndex.get(0L).ptsUs()).isZero();
        assertThat(byIndex.get(149L).ptsUs()).isCloseTo(149 * SECOND / 30, within(1L));
    }

    @Test
    void eachSegmentDeliversWhatThePlanExpectsWithoutDamage() throws Exception {
        for (SegmentTask task : plan(clip, clipProbe, FrameSpec.everyFrame(), SECOND)) {
            List<Frame> frames = new ArrayList<>();
            DecodeOutcome outcome = decoder.decode(clip, task, collect(frames), () -> false);

            assertThat(outcome.frames())
                    .as("segment %d", task.segmentIndex())
                    .isEqualTo(task.expectedFrames());
            assertThat(outcome.decodeErrors()).isZero();
            assertThat(outcome.damage()).isNull();
            assertThat(frames)
                    .extracting(Frame::index)
                    .containsExactlyElementsOf(
                            range(
                                    task.firstFrameIndex(),
                                    task.firstFrameIndex() + task.expectedFrames()));
        }
    }

    @Test
    void oneSegmentGivesTheSameIndexToPtsMappingAsMany() throws Exception {
        Map<Long, Long> many =
                ptsByIndex(decodeAll(clip, plan(clip, clipProbe, FrameSpec.everyFrame(), SECOND)));
        List<SegmentTask> single = plan(clip, clipProbe, FrameSpec.everyFrame(), 60 * SECOND);
        assertThat(single).hasSize(1);

        Map<Long, Long> one = ptsByIndex(decodeAll(clip, single));

        assertThat(one).isEqualTo(many).hasSize(150);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 60})
    void oneFpsYieldsFiveSamplesOnTheSecondGridWhateverTheSegmentTarget(long targetSeconds)
            throws Exception {
        List<Frame> frames =
                decodeAll(
                        clip,
                        plan(
                                clip,
                                clipProbe,
                                new FrameSpec(1.0, null, 90),
                                targetSeconds * SECOND));

        Map<Long, Frame> byIndex = byIndex(frames);
        assertThat(frames).hasSize(5);
        assertThat(byIndex.keySet()).containsExactly(0L, 1L, 2L, 3L, 4L);
        for (long k = 0; k < 5; k++) {
            assertThat(byIndex.get(k).ptsUs() / 1000)
                    .as("sample %d", k)
                    .isCloseTo(k * 1000, within(34L));
        }
    }

    @Test
    void maxWidthScalesDownKeepingTheAspectRatio() throws Exception {
        List<Frame> frames =
                decodeAll(clip, plan(clip, clipProbe, new FrameSpec(1.0, 320, 90), 60 * SECOND));

        assertThat(frames)
                .hasSize(5)
                .allSatisfy(
                        f -> {
                            assertThat(f.width()).isEqualTo(320);
                            assertThat(f.height()).isEqualTo(180);
                            BufferedImage image = ImageIO.read(new ByteArrayInputStream(f.jpeg()));
                            assertThat(image.getWidth()).isEqualTo(320);
                            assertThat(image.getHeight()).isEqualTo(180);
                        });
    }

    @Test
    void maxWidthNeverUpscales() throws Exception {
        List<Frame> frames =
                decodeAll(clip, plan(clip, clipProbe, new FrameSpec(1.0, 1920, 90), 60 * SECOND));

        assertThat(frames).allSatisfy(f -> assertThat(f.width()).isEqualTo(640));
    }

    @Test
    void rotatedClipComesOutUpright() throws Exception {
        ProbeResult probe = MediaProbe.probe(rotated);
        assertThat(probe.video().rotation()).isEqualTo(90);

        List<Frame> frames =
                decodeAll(rotated, plan(rotated, probe, new FrameSpec(1.0, null, 95), 60 * SECOND));

        assertThat(frames).isNotEmpty();
        for (Frame frame : frames) {
            assertThat(frame.width()).isEqualTo(360);
            assertThat(frame.height()).isEqualTo(640);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.jpeg()));
            assertThat(image.getWidth()).isEqualTo(360);
            assertThat(image.getHeight()).isEqualTo(640);
            // The coded picture is red on top, blue below; turned clockwise, red is on the right.
            for (int y : new int[] {40, 320, 600}) {
                assertThat(isRed(image.getRGB(270, y))).as("right side at y=%d", y).isTrue();
                assertThat(isBlue(image.getRGB(90, y))).as("left side at y=%d", y).isTrue();
            }
        }
    }

    @Test
    void lowerQualityGivesSmallerJpegs() throws Exception {
        long low =
                totalBytes(
                        decodeAll(
                                clip,
                                plan(clip, clipProbe, new FrameSpec(1.0, null, 30), 60 * SECOND)));
        long high =
                totalBytes(
                        decodeAll(
                                clip,
                                plan(clip, clipProbe, new FrameSpec(1.0, null, 95), 60 * SECOND)));

        assertThat(low).isLessThan(high);
    }

    @Test
    void aCancelledDecodeAbortsWithDeadlineExceeded() {
        SegmentTask task = plan(clip, clipProbe, FrameSpec.everyFrame(), 60 * SECOND).get(0);
        List<Frame> frames = new ArrayList<>();

        assertThatThrownBy(() -> decoder.decode(clip, task, collect(frames), () -> true))
                .isInstanceOfSatisfying(
                        MediaException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureCode.DEADLINE_EXCEEDED));
        assertThat(frames).isEmpty();
    }

    @Test
    void cancellationIsCheckedWhileDecoding() throws Exception {
        SegmentTask task = plan(clip, clipProbe, FrameSpec.everyFrame(), 60 * SECOND).get(0);
        List<Frame> frames = new ArrayList<>();
        AtomicInteger checks = new AtomicInteger();

        assertThatThrownBy(
                        () ->
                                decoder.decode(
                                        clip,
                                        task,
                                        collect(frames),
                                        () -> checks.incrementAndGet() > 10))
                .isInstanceOfSatisfying(
                        MediaException.class,
                        e -> assertThat(e.code()).isEqualTo(FailureCode.DEADLINE_EXCEEDED));
        // Decoding stopped mid-stream: frames still queued for encoding when it stopped are
        // dropped, never written after the cancellation.
        assertThat(frames).hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void aTruncatedTransportStreamKeepsWhatDecodes() throws Exception {
        Path truncated = dir.resolve("truncated.ts");
        long keep = Files.size(transportStream) * 6 / 10;
        try (InputStream in = Files.newInputStream(transportStream);
                OutputStream out = Files.newOutputStream(truncated)) {
            out.write(in.readNBytes((int) keep));
        }
        ProbeResult probe = MediaProbe.probe(truncated);
        List<SegmentTask> plan = plan(truncated, probe, FrameSpec.everyFrame(), SECOND);
        assertThat(plan).as("MPEG-TS is decoded in one piece").hasSize(1);

        List<Frame> frames = new ArrayList<>();
        DecodeOutcome outcome =
                decoder.decode(truncated, plan.get(0), collect(frames), () -> false);

        assertThat(outcome.frames()).isPositive().isEqualTo(frames.size());
        assertThat(outcome.damage() != null || outcome.frames() < 150)
                .as("damage %s, %d frames", outcome.damage(), outcome.frames())
                .isTrue();
        assertThat(frames).extracting(Frame::index).doesNotHaveDuplicates();
    }

    @Test
    void theFullTransportStreamDecodesEveryFrame() throws Exception {
        ProbeResult probe = MediaProbe.probe(transportStream);
        SegmentTask task = plan(transportStream, probe, FrameSpec.everyFrame(), SECOND).get(0);
        List<Frame> frames = new ArrayList<>();

        DecodeOutcome outcome = decoder.decode(transportStream, task, collect(frames), () -> false);

        assertThat(outcome.frames()).isEqualTo(150);
        assertThat(outcome.damage()).isNull();
        assertThat(frames).extracting(Frame::index).containsExactlyElementsOf(range(0, 150));
    }

    private List<Frame> decodeAll(Path input, List<SegmentTask> plan) throws Exception {
        List<Frame> frames = new ArrayList<>();
        for (SegmentTask task : plan) {
            DecodeOutcome outcome = decoder.decode(input, task, collect(frames), () -> false);
            assertThat(outcome.damage())
                    .as("segment %d of %s", task.segmentIndex(), input.getFileName())
                    .isNull();
        }
        return frames;
    }

    private static List<SegmentTask> plan(
            Path input, ProbeResult probe, FrameSpec frames, long targetUs) {
        JobRequest request =
                new JobRequest(
                        "job", input.toUri().toString(), new JobSpec(null, 5, frames, null), 0);
        return SegmentPlanner.plan(request, probe, targetUs);
    }

    private static FrameSink collect(List<Frame> frames) {
        return (index, ptsUs, width, height, jpeg) ->
                frames.add(new Frame(index, ptsUs, width, height, jpeg));
    }

    private static Map<Long, Frame> byIndex(List<Frame> frames) {
        Map<Long, Frame> map = new TreeMap<>();
        for (Frame frame : frames) {
            assertThat(map.put(frame.index(), frame)).as("frame %d twice", frame.index()).isNull();
        }
        return map;
    }

    private static Map<Long, Long> ptsByIndex(List<Frame> frames) {
        Map<Long, Long> map = new TreeMap<>();
        byIndex(frames).forEach((index, frame) -> map.put(index, frame.ptsUs()));
        return map;
    }

    private static long totalBytes(List<Frame> frames) {
        return frames.stream().mapToLong(f -> f.jpeg().length).sum();
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private static boolean isRed(int rgb) {
        return ((rgb >> 16) & 0xff) > 200 && (rgb & 0xff) < 60 && ((rgb >> 8) & 0xff) < 60;
    }

    private static boolean isBlue(int rgb) {
        return (rgb & 0xff) > 200 && ((rgb >> 16) & 0xff) < 60 && ((rgb >> 8) & 0xff) < 60;
    }

    private record Frame(long index, long ptsUs, int width, int height, byte[] jpeg) {}
}
