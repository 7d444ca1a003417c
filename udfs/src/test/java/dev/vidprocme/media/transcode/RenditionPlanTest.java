package dev.vidprocme.media.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.VideoInfo;
import dev.vidprocme.records.VideoOutputSpec;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RenditionPlanTest {
    private static final long FRAME = 40_000;
    private static final MediaStreams STEREO =
            new MediaStreams(
                    "mov",
                    0,
                    10_000_000,
                    0,
                    null,
                    new MediaStreams.Stream(
                            "aac", "LC", 0, 0, 0, 10_000_000, 430, 128_000, new byte[0]));

    /** A 10 s, 25 fps 1280x720 video with a keyframe every {@code gopFrames} frames. */
    private static ProbeResult probe(int gopFrames, boolean exactSeek, int rotation) {
        long[] pts = LongStream.range(0, 250).map(i -> i * FRAME).toArray();
        long[] keys =
                LongStream.range(0, 250)
                        .filter(i -> i % gopFrames == 0)
                        .map(i -> i * FRAME)
                        .toArray();
        VideoInfo video = new VideoInfo("mov", "h264", 1280, 720, 25, 10_000, rotation, 250);
        return new ProbeResult(video, 0, pts, keys, exactSeek, 0, null);
    }

    private static OutputSpec spec(Integer height, Boolean upscale, String audio) {
        return new OutputSpec(
                "r",
                "mp4",
                new VideoOutputSpec("h264", height, null, null, null, upscale),
                new AudioOutputSpec(audio, null));
    }

    @Test
    void cutsAtKeyframesAndTilesTheInput() {
        RenditionPlan plan =
                RenditionPlan.of(spec(480, null, "aac"), probe(25, true, 0), STEREO, 3_000_000);

        assertThat(plan.parts())
                .extracting(Part::startUs)
                .containsExactly(0L, 3_000_000L, 6_000_000L);
        assertThat(plan.parts().get(2).endUs()).isEqualTo(10_000_000);
        for (int i = 1; i < plan.parts().size(); i++) {
            assertThat(plan.parts().get(i).startUs()).isEqualTo(plan.parts().get(i - 1).endUs());
        }
    }

    @Test
    void cutsBetweenKeyframesWhenKeyframesAreRare() {
        RenditionPlan plan =
                RenditionPlan.of(spec(480, null, "aac"), probe(250, true, 0), STEREO, 3_000_000);

        assertThat(plan.parts())
                .extracting(Part::startUs)
                .containsExactly(0L, 3_000_000L, 6_000_000L);
    }

    @Test
    void encodesInOnePieceWhereTheContainerCannotSeekExactly() {
        RenditionPlan plan =
                RenditionPlan.of(spec(480, null, "aac"), probe(25, false, 0), STEREO, 3_000_000);

        assertThat(plan.parts()).containsExactly(new Part("r", 0, 1, 0, 10_000_000));
    }

    @Test
    void keepsAspectAndNeverUpscalesUnlessAsked() {
        assertThat(size(RenditionPlan.of(spec(480, null, "aac"), probe(25, true, 0), STEREO, 0)))
                .containsExactly(854, 480);
        assertThat(size(RenditionPlan.of(spec(1080, null, "aac"), probe(25, true, 0), STEREO, 0)))
                .containsExactly(1280, 720);
        assertThat(size(RenditionPlan.of(spec(1080, true, "aac"), probe(25, true, 0), STEREO, 0)))
                .containsExactly(1920, 1080);
        // A portrait phone video: coded 1280x720, shown turned a quarter.
        assertThat(size(RenditionPlan.of(spec(640, null, "aac"), probe(25, true, 90), STEREO, 0)))
                .containsExactly(360, 640);
    }

    @Test
    void copiedAudioIsExpectedAsTheInputCodecAndMissingAudioAsNone() {
        ProbeResult probe = probe(25, true, 0);
        assertThat(
                        RenditionPlan.of(spec(null, null, "copy"), probe, STEREO, 0)
                                .expectation()
                                .audioCodec())
                .isEqualTo("aac");
        MediaStreams silent = new MediaStreams("mov", 0, 10_000_000, 0, null, null);
        assertThat(RenditionPlan.of(spec(null, null, "aac"), probe, silent, 0).audioCodec())
                .isNull();
        assertThat(RenditionPlan.of(spec(null, null, "none"), probe, STEREO, 0).audioCodec())
                .isNull();
    }

    @Test
    void progressIsTheShareOfInputTimeEncoded() {
        RenditionPlan plan =
                RenditionPlan.of(spec(480, null, "aac"), probe(25, true, 0), STEREO, 5_000_000);
        RenditionProgress progress = new RenditionProgress(plan);

        progress.forPart(plan.parts().get(0)).accept(2_500_000);
        progress.forPart(plan.parts().get(1)).accept(5_000_000);
        progress.forPart(plan.parts().get(0)).accept(1_000_000); // late, older report

        assertThat(progress.percent()).isEqualTo(75.0);
    }

    private static List<Integer> size(RenditionPlan plan) {
        return List.of(plan.width(), plan.height());
    }
}
