package dev.vidprocme.media.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SegmentDecoder;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.Scene;
import dev.vidprocme.records.SceneSignals;
import dev.vidprocme.records.SceneTransition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SceneDetectionTest {
    private static final long SECOND = 1_000_000;
    private static final Path SHARED_MEDIA = Path.of("..", "..", "shared", "media");

    @TempDir static Path dir;
    private static Path clip;

    private final SegmentDecoder decoder = new SegmentDecoder(1, 1);

    @BeforeAll
    static void makeClip() throws Exception {
        clip = SceneClips.transitions(dir.resolve("transitions.mp4"), 320, 180);
    }

    @ParameterizedTest(name = "segments of about {0} us")
    @ValueSource(longs = {0, SECOND, 3 * SECOND})
    void findsEveryHardCutWithinOneFrameWhereverSegmentsStart(long segmentUs) throws Exception {
        ProbeResult probe = MediaProbe.probe(clip);
        List<SceneSignals> signals = SceneScan.signals(clip, probe, decoder, segmentUs);
        if (segmentUs == SECOND) {
            assertThat(signals).hasSizeGreaterThan(5);
            // One segment starts exactly on the cut at 225, another one frame before the cut at 75.
            assertThat(signals).extracting(SceneSignals::firstFrame).contains(74L, 225L);
        }

        List<SceneTransition> found = SceneAssembler.transitions(signals);

        List<Long> cuts = frames(found, Scene.CUT);
        assertThat(cuts).hasSameSizeAs(SceneClips.CUTS);
        for (int i = 0; i < cuts.size(); i++) {
            assertThat(cuts.get(i))
                    .isBetween(SceneClips.CUTS.get(i) - 1, SceneClips.CUTS.get(i) + 1);
        }
        assertThat(frames(found, Scene.FADE))
                .singleElement()
                .satisfies(
                        f ->
                                assertThat(f)
                                        .isBetween(SceneClips.FADE_IN - 1, SceneClips.FADE_IN + 2));
        assertThat(frames(found, Scene.DISSOLVE))
                .singleElement()
                .satisfies(
                        f ->
                                assertThat(f)
                                        .isBetween(
                                                SceneClips.DISSOLVE - 5, SceneClips.DISSOLVE + 5));
    }

    @Test
    void segmentsTogetherFindWhatOneDecodeFinds() throws Exception {
        List<SceneTransition> whole = SceneScan.transitions(clip, decoder, 0);
        List<SceneTransition> split = SceneScan.transitions(clip, decoder, SECOND);

        assertThat(frames(split, Scene.CUT)).isEqualTo(frames(whole, Scene.CUT));
        assertThat(split)
                .extracting(SceneTransition::kind)
                .isEqualTo(whole.stream().map(SceneTransition::kind).toList());
    }

    @Test
    void scenesTileTheVideoAndNameTheTransitionThatStartsThem() throws Exception {
        ProbeResult probe = MediaProbe.probe(clip);
        List<SceneSignals> signals = SceneScan.signals(clip, probe, decoder, SECOND);

        List<Scene> scenes = SceneAssembler.assemble(signals, probe.video().durationMs());

        assertThat(scenes)
                .extracting(Scene::kind)
                .containsExactly(
                        Scene.START, Scene.CUT, Scene.FADE, Scene.CUT, Scene.CUT, Scene.DISSOLVE);
        assertThat(scenes.get(0).startMs()).isZero();
        assertThat(scenes.get(scenes.size() - 1).endMs()).isEqualTo(probe.video().durationMs());
        for (int i = 1; i < scenes.size(); i++) {
            assertThat(scenes.get(i).index()).isEqualTo(i);
            assertThat(scenes.get(i).startMs()).isEqualTo(scenes.get(i - 1).endMs());
            assertThat(scenes.get(i).score()).isBetween(0.0, 1.0).isPositive();
        }
        assertThat(scenes.get(1).startMs()).isEqualTo(3000);
    }

    @Test
    void aSmoothlyMovingPatternHasNoTransition() throws Exception {
        Path moving = SyntheticClips.testPattern(dir.resolve("moving.mp4"), 4, 25, 320, 180);

        assertThat(SceneScan.transitions(moving, decoder, SECOND)).isEmpty();
    }

    @Test
    void aStaticPictureHasNoTransition() throws Exception {
        Path still =
                SyntheticClips.run(
                        dir.resolve("still.mp4"),
                        List.of(
                                "-f",
                                "lavfi",
                                "-i",
                                "smptehdbars=size=320x180:rate=25:duration=3",
                                "-c:v",
                                "libx264",
                                "-pix_fmt",
                                "yuv420p",
                                "-g",
                                "25"));

        assertThat(SceneScan.transitions(still, decoder, SECOND)).isEmpty();
    }

    @Test
    void matchesThePublishedHardCutsOfTheSharedVideos() throws Exception {
        Path cutsFile = SHARED_MEDIA.resolve("scene_cuts.json");
        assumeTrue(
                Files.isRegularFile(cutsFile),
                "skipped: ../shared/media/scene_cuts.json is not here (shared test media absent)");
        Map<String, List<Long>> published = PublishedCuts.hardCuts(cutsFile);
        assertThat(published).isNotEmpty();
        PublishedCuts.Accuracy total = new PublishedCuts.Accuracy(0, 0, 0);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, List<Long>> video : published.entrySet()) {
            Path file = SHARED_MEDIA.resolve("videos").resolve(video.getKey());
            List<Long> cuts = frames(SceneScan.transitions(file, decoder, 2 * SECOND), Scene.CUT);
            PublishedCuts.Accuracy accuracy = PublishedCuts.compare(video.getValue(), cuts, 1);
            lines.add(video.getKey() + ": published " + video.getValue() + ", found " + cuts);
            total = total.plus(accuracy);
        }

        assertThat(total.truth()).as("published hard cuts").isPositive();
        assertThat(total.precision()).as("precision; %s", lines).isGreaterThanOrEqualTo(0.9);
        assertThat(total.recall()).as("recall; %s", lines).isGreaterThanOrEqualTo(0.9);
    }

    private static List<Long> frames(List<SceneTransition> transitions, String kind) {
        return transitions.stream()
                .filter(t -> t.kind().equals(kind))
                .map(SceneTransition::frame)
                .toList();
    }
}
