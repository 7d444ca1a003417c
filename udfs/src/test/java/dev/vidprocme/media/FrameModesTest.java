package dev.vidprocme.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.media.scene.SceneClips;
import dev.vidprocme.records.FrameMode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameModesTest {
    private static final long SECOND = 1_000_000;

    @TempDir static Path dir;
    private static Path clip;
    private static ProbeResult probe;

    private final SegmentDecoder decoder = new SegmentDecoder(1, 1);

    @BeforeAll
    static void makeClip() throws Exception {
        clip = SceneClips.transitions(dir.resolve("transitions.mp4"), 320, 180);
        probe = MediaProbe.probe(clip);
    }

    @Test
    void keyframesModeKeepsEachKeyframeUnderItsSourceFrameNumber() throws Exception {
        List<Long> kept = decode(new FrameSpec(null, null, 80, FrameMode.KEYFRAMES, null), SECOND);

        assertThat(kept).containsExactly(0L, 37L, 74L, 125L, 175L, 225L, 255L, 300L, 337L);
    }

    @Test
    void scenesModeKeepsOneSettledFrameAfterEachTransitionPlusEachSegmentStart() throws Exception {
        List<Long> kept = decode(new FrameSpec(null, null, 80, FrameMode.SCENES, 50), 3 * SECOND);

        TreeSet<Long> segmentStarts = new TreeSet<>();
        for (SegmentTask t :
                plan(new FrameSpec(null, null, 80, FrameMode.SCENES, 50), 3 * SECOND)) {
            segmentStarts.add(t.firstFrameIndex());
        }
        assertThat(kept).containsAll(segmentStarts);
        // A frame a few frames into each new scene: after the cuts, the fade-in, the dissolve.
        for (long transition : List.of(75L, 225L, 275L)) {
            assertThat(kept).anySatisfy(k -> assertThat(k).isBetween(transition, transition + 5));
        }
        assertThat(kept).anySatisfy(k -> assertThat(k).isBetween(SceneClips.FADE_IN, 180L));
        assertThat(kept).anySatisfy(k -> assertThat(k).isBetween(320L, 340L));
        assertThat(kept).hasSizeLessThan(15);
        assertThat(decode(new FrameSpec(null, null, 80, FrameMode.SCENES, 50), 3 * SECOND))
                .as("the same frames under the same indices when run again")
                .isEqualTo(kept);
    }

    @Test
    void scenesModeShareOfTheCapFollowsSegmentDurationAndAddsUpToIt() {
        List<SegmentTask> tasks = plan(new FrameSpec(null, null, 80, FrameMode.SCENES, 7), SECOND);

        assertThat(tasks).hasSizeGreaterThan(5);
        assertThat(tasks.stream().mapToLong(t -> t.frames().maxFrames()).sum()).isEqualTo(7);
        assertThat(tasks).allSatisfy(t -> assertThat(t.frames().maxFrames()).isBetween(0, 2));
    }

    @Test
    void scenesModeNeverKeepsMoreThanTheCap() throws Exception {
        List<Long> kept = decode(new FrameSpec(null, null, 80, FrameMode.SCENES, 3), SECOND);

        assertThat(kept).hasSizeLessThanOrEqualTo(3).isNotEmpty();
    }

    private static List<SegmentTask> plan(FrameSpec frames, long segmentUs) {
        JobRequest request =
                new JobRequest(
                        "job", clip.toUri().toString(), new JobSpec(null, 5, frames, null), 0);
        return SegmentPlanner.plan(request, probe, segmentUs);
    }

    private List<Long> decode(FrameSpec frames, long segmentUs) throws Exception {
        List<Long> kept = new ArrayList<>();
        for (SegmentTask task : plan(frames, segmentUs)) {
            decoder.decode(clip, task, (index, pts, w, h, jpeg) -> kept.add(index), () -> false);
        }
        return kept;
    }
}
