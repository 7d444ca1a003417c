package dev.vidprocme.media.scene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.records.Scene;
import dev.vidprocme.records.SceneSignals;
import dev.vidprocme.records.SceneTransition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneAssemblerTest {
    private static final long FRAME_US = 40_000;

    @Test
    void noSignalsIsOneSceneOverTheWholeVideo() {
        assertThat(SceneAssembler.assemble(List.of(), 5000))
                .containsExactly(new Scene(0, 0, 5000, Scene.START, 0));
    }

    @Test
    void aFadeOutJustBeforeAFadeInGivesWayToIt() {
        List<SceneTransition> kept =
                SceneAssembler.shortestSceneRule(
                        List.of(fade(100, true), fade(108, false), cut(110), cut(200), cut(205)));

        assertThat(kept).extracting(SceneTransition::frame).containsExactly(108L, 200L);
    }

    @Test
    void aTransitionTooCloseToTheStartIsDropped() {
        assertThat(SceneAssembler.shortestSceneRule(List.of(cut(10), cut(20))))
                .extracting(SceneTransition::frame)
                .containsExactly(20L);
    }

    @Test
    void aCutOnTheFirstFrameOfASegmentIsFoundFromBothSegmentsSignals() {
        // Two segments of a clip that jumps from one flat grey to another at frame 50.
        SceneSignals first = signals(0, 50, 80, 80);
        SceneSignals second = signals(50, 50, 160, 160);

        List<SceneTransition> found = SceneAssembler.transitions(List.of(first, second));

        assertThat(found)
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.frame()).isEqualTo(50);
                            assertThat(t.kind()).isEqualTo(Scene.CUT);
                            assertThat(t.ptsUs()).isEqualTo(50 * FRAME_US);
                        });
        assertThat(SceneAssembler.assemble(List.of(first, second), 4000))
                .containsExactly(
                        new Scene(0, 0, 2000, Scene.START, 0),
                        new Scene(1, 2000, 4000, Scene.CUT, 1.0));
    }

    @Test
    void aMissingSegmentLeavesItsBoundariesUndecidedInsteadOfInventingCuts() {
        SceneSignals first = signals(0, 50, 80, 80);
        SceneSignals third = signals(100, 50, 160, 160);

        assertThat(SceneAssembler.transitions(new ArrayList<>(List.of(first, third)))).isEmpty();
    }

    /** A still segment of one grey level: every difference inside it is 0. */
    private static SceneSignals signals(long firstFrame, int frames, int headGrey, int tailGrey) {
        int edge = 5;
        long[] head = new long[edge];
        long[] tail = new long[edge];
        for (int j = 0; j < edge; j++) {
            head[j] = (firstFrame + j) * FRAME_US;
            tail[j] = (firstFrame + frames - edge + j) * FRAME_US;
        }
        return new SceneSignals(
                (int) (firstFrame / 50),
                firstFrame,
                frames,
                List.of(),
                grey(headGrey),
                grey(tailGrey),
                head,
                tail,
                new double[edge],
                new double[edge],
                true,
                true);
    }

    private static byte[] grey(int level) {
        byte[] t = new byte[Thumbnails.SIZE];
        java.util.Arrays.fill(t, (byte) level);
        return t;
    }

    private static SceneTransition cut(long frame) {
        return new SceneTransition(frame, frame * FRAME_US, Scene.CUT, 0.5, false);
    }

    private static SceneTransition fade(long frame, boolean intoFlat) {
        return new SceneTransition(frame, frame * FRAME_US, Scene.FADE, 0.2, intoFlat);
    }
}
