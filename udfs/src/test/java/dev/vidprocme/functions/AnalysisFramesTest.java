package dev.vidprocme.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.io.db.FrameRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisFramesTest {
    private static final long INTERVAL_MS = 10_000;

    @Test
    void aShortSceneGetsItsFirstFrameOnly() {
        assertThat(indexes(AnalysisFrames.pick(frames(0, 150), List.of(), INTERVAL_MS)))
                .containsExactly(0L);
    }

    @Test
    void everySceneStartIsAnAnalysisFrame() {
        // Cuts at 2.0 s and 3.5 s: frames 60 and 105 at 30 fps.
        assertThat(indexes(AnalysisFrames.pick(frames(0, 150), List.of(2000L, 3500L), INTERVAL_MS)))
                .containsExactly(0L, 60L, 105L);
    }

    @Test
    void aLongSceneGetsOneFrameEveryInterval() {
        // 25 s of one scene at 30 fps.
        assertThat(indexes(AnalysisFrames.pick(frames(0, 750), List.of(), INTERVAL_MS)))
                .containsExactly(0L, 300L, 600L);
    }

    @Test
    void aCutBetweenKeptFramesPicksTheFirstFrameAfterIt() {
        // One frame a second is kept; the cut at 2.5 s is first seen at the frame of 3.0 s.
        List<FrameRow> sampled = new ArrayList<>();
        for (long i = 0; i < 5; i++) {
            sampled.add(row(i, i * 1000));
        }
        assertThat(indexes(AnalysisFrames.pick(sampled, List.of(2500L), INTERVAL_MS)))
                .containsExactly(0L, 3L);
    }

    @Test
    void framesInAnyOrderAndNoFramesAreHandled() {
        List<FrameRow> reversed = new ArrayList<>(frames(0, 90));
        Collections.reverse(reversed);

        assertThat(indexes(AnalysisFrames.pick(reversed, List.of(1000L), INTERVAL_MS)))
                .containsExactly(0L, 30L);
        assertThat(AnalysisFrames.pick(List.of(), List.of(1000L), INTERVAL_MS)).isEmpty();
    }

    /** Frames {@code first..first+count-1} at 30 fps. */
    private static List<FrameRow> frames(long first, int count) {
        List<FrameRow> rows = new ArrayList<>();
        for (long i = first; i < first + count; i++) {
            rows.add(row(i, Math.round(i * 1000 / 30.0)));
        }
        return rows;
    }

    private static FrameRow row(long index, long ptsMs) {
        return new FrameRow("job", index, ptsMs, 64, 36, 100, "frames/job/" + index + ".jpg", 0);
    }

    private static List<Long> indexes(List<FrameRow> rows) {
        return rows.stream().map(FrameRow::index).toList();
    }
}
