package dev.vidprocme.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.analysis.caption.CaptionStatus;
import dev.vidprocme.analysis.caption.FrameCaption;
import dev.vidprocme.spec.Json;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordsSerializationTest {
    private static final VideoInfo VIDEO =
            new VideoInfo("mov,mp4,m4a,3gp,3g2,mj2", "h264", 1920, 1080, 29.97, 60_000, 90, 1798);
    private static final FrameSpec FRAMES = new FrameSpec(2.5, 640, 75);
    private static final JobSpec SPEC =
            new JobSpec(new InputSpec("file:///videos/a.mp4"), 7, FRAMES, null);
    private static final SegmentTask TASK =
            new SegmentTask(
                    "job",
                    2,
                    5,
                    "blob:uploads/job/source",
                    1_000,
                    33_367,
                    20_000_000,
                    30_000_000,
                    600,
                    50,
                    300,
                    false,
                    FRAMES,
                    90,
                    7,
                    1_700_000_000_000L);
    private static final JobRequest REQUEST =
            new JobRequest("job", "blob:uploads/job/source", SPEC, 1_700_000_000_000L);
    private static final DeadLetter LETTER =
            new DeadLetter(
                    DeadLetter.idFor("job", "decode", 2),
                    "job",
                    "decode",
                    2,
                    6,
                    "java.io.IOException",
                    "disk full",
                    1_700_000_000_500L,
                    REQUEST);
    private static final TranscodeResult TRANSCODED =
            new TranscodeResult(
                    "job",
                    "480p",
                    0,
                    2,
                    5,
                    10_000_000,
                    50_000_000,
                    123_456,
                    Disposition.DONE,
                    1,
                    null,
                    null,
                    null);
    private static final JobPlan PLAN =
            new JobPlan("job", VIDEO, 5, 1798, null, null, 1_700_000_000_000L);

    private static final SceneSignals SIGNALS =
            new SceneSignals(
                    2,
                    600,
                    300,
                    java.util.List.of(
                            new SceneTransition(650, 21_688_333, Scene.CUT, 0.64, false),
                            new SceneTransition(700, 23_356_666, Scene.FADE, 0.2, true)),
                    new byte[] {1, 2, 3},
                    new byte[] {4, 5, 6},
                    new long[] {20_020_000, 20_053_366},
                    new long[] {29_929_900, 29_963_266},
                    new double[] {0, 0.5},
                    new double[] {0.25, 12.5},
                    false,
                    true);

    @ParameterizedTest
    @ValueSource(
            classes = {
                JobRequest.class,
                JobSpec.class,
                FrameSpec.class,
                AnalysisSpec.class,
                CaptionSpec.class,
                OutputSpec.class,
                VideoOutputSpec.class,
                AudioOutputSpec.class,
                ThumbnailSpec.class,
                InputSpec.class,
                VideoInfo.class,
                SegmentTask.class,
                SegmentResult.class,
                JobPlan.class,
                JobUpdate.class,
                PlanOutput.class,
                TrackerState.class,
                DeadLetter.class,
                TranscodeResult.class,
                WorkResult.class,
                OutputProgress.class,
                AnalysisSummary.class,
                WebhookResult.class,
                TextLine.class,
                FrameStatistics.class,
                DominantColour.class,
                Scene.class,
                SceneTransition.class,
                SceneSignals.class,
                dev.vidprocme.media.transcode.Part.class,
                FrameCaption.class,
                FrameAnalysis.class
            })
    void isSerializedAsPojoWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
        assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of(
                        new TextLine(
                                "Breaking news",
                                0.93,
                                new int[] {10, 20, 300, 20, 300, 60, 10, 60})),
                Arguments.of(
                        new FrameStatistics(
                                0.42,
                                812.5,
                                List.of(
                                        new DominantColour("#ff0000", 0.75),
                                        new DominantColour("#0000ff", 0.25)),
                                0.03)),
                Arguments.of(new FrameStatistics(0.0, 0.0, List.of(), null)),
                Arguments.of(
                        new JobRequest("job", "blob:uploads/job/source", SPEC, 1_700_000_000_000L)),
                Arguments.of(new JobRequest("job", "file:///a.mp4", JobSpec.defaults(), 0)),
                Arguments.of(SPEC),
                Arguments.of(JobSpec.defaults()),
                Arguments.of(FRAMES),
                Arguments.of(FrameSpec.everyFrame()),
                Arguments.of(new InputSpec("file:///a.mp4")),
                Arguments.of(VIDEO),
                Arguments.of(TASK),
                Arguments.of(new SegmentResult("job", 3, 90, 2, null, "2 decode error(s)", 1234)),
                Arguments.of(
                        new SegmentResult(
                                "job", 3, 0, 0, FailureCode.DEADLINE_EXCEEDED, "stopped", 1234)),
                Arguments.of(PLAN),
                Arguments.of(JobPlan.failed("job", FailureCode.NO_VIDEO_STREAM, "audio only", 5)),
                Arguments.of(
                        new JobUpdate(
                                "job",
                                4,
                                JobStatus.RUNNING,
                                0.5,
                                VIDEO,
                                900,
                                null,
                                null,
                                null,
                                99)),
                Arguments.of(
                        new JobUpdate(
                                "job",
                                5,
                                JobStatus.FAILED,
                                1.0,
                                null,
                                0,
                                FailureCode.INTERNAL,
                                "x",
                                "d",
                                99)),
                Arguments.of(PlanOutput.of(PLAN)),
                Arguments.of(PlanOutput.of(TASK)),
                Arguments.of(TrackerState.initial()),
                Arguments.of(
                        new TrackerState(
                                3,
                                2,
                                120,
                                "damage",
                                FailureCode.DECODE_FAILED,
                                "message",
                                1,
                                2,
                                1,
                                new AnalysisSummary(3, 1, 2, 1, 900, 0.01, "budget"))),
                Arguments.of(WorkResult.of(TRANSCODED)),
                Arguments.of(WorkResult.of(new SegmentResult("job", 3, 90, 2, null, "damage", 12))),
                Arguments.of(TRANSCODED),
                Arguments.of(
                        new JobUpdate(
                                "job",
                                6,
                                JobStatus.RUNNING,
                                0.4,
                                null,
                                10,
                                null,
                                null,
                                null,
                                99,
                                null,
                                List.of(new OutputProgress("480p", 0.5, false)),
                                AnalysisSummary.none(),
                                List.of(new Scene(0, 0, 4000, "start", 0)))),
                Arguments.of(LETTER),
                Arguments.of(SIGNALS),
                Arguments.of(new Scene(0, 0, 3000, Scene.START, 0)),
                Arguments.of(new SceneTransition(75, 3_000_000, Scene.DISSOLVE, 0.3, false)),
                Arguments.of(
                        new dev.vidprocme.media.transcode.Part("480p", 1, 3, 2_000_000, 4_000_000)),
                Arguments.of(
                        new SegmentResult(
                                "job",
                                3,
                                0,
                                0,
                                FailureCode.STORAGE_FAILED,
                                "disk full",
                                12,
                                Disposition.RETRY,
                                2,
                                "java.io.IOException",
                                "cuda:1")),
                Arguments.of(
                        JobPlan.failed(
                                REQUEST,
                                FailureCode.PROBE_FAILED,
                                "no",
                                Disposition.DEAD_LETTER,
                                6,
                                "probe_failed")),
                Arguments.of(PLAN.withRequest(REQUEST, 1)),
                Arguments.of(
                        new FrameCaption(
                                7,
                                CaptionStatus.OK,
                                "a cat on a sofa",
                                List.of("cat", "sofa"),
                                List.of("cat"),
                                "",
                                "gpt-4o-mini",
                                "ab12",
                                105,
                                30,
                                false,
                                null)),
                Arguments.of(
                        new FrameCaption(
                                8,
                                CaptionStatus.SKIPPED_BUDGET,
                                null,
                                null,
                                null,
                                null,
                                "llava",
                                "ab12",
                                0,
                                0,
                                false,
                                "the job's caption budget was reached")),
                Arguments.of(
                        new FrameAnalysis(
                                "job",
                                12,
                                FrameAnalysis.CAPTION,
                                "llava",
                                "{\"caption\":\"a bus\"}",
                                "a bus",
                                new float[] {0.5f, -0.25f, 1f})),
                Arguments.of(new FrameAnalysis("job", 3, FrameAnalysis.STATS, "", "{}", "", null)),
                Arguments.of(
                        new JobUpdate(
                                "job",
                                5,
                                JobStatus.FAILED,
                                0.2,
                                null,
                                0,
                                FailureCode.STORAGE_FAILED,
                                "x",
                                null,
                                99,
                                LETTER,
                                null,
                                null,
                                null)),
                Arguments.of(
                        new WebhookResult(
                                "job:5",
                                "job",
                                WebhookResult.Outcome.GAVE_UP,
                                3,
                                "gave up after 3 attempts")));
    }

    @ParameterizedTest
    @MethodSource("samples")
    @SuppressWarnings("unchecked")
    <T> void roundTripsThroughItsFlinkSerializer(T value) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer =
                ((TypeInformation<T>) TypeInformation.of(value.getClass()))
                        .createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);

        serializer.serialize(value, out);
        T copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(copy).isEqualTo(value);
        assertThat(serializer.copy(value)).isEqualTo(value);
        assertThat(
                        serializer
                                .duplicate()
                                .deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(value);
    }

    @Test
    void jobRequestRoundTripsThroughTheWireJson() throws Exception {
        JobRequest request =
                new JobRequest("3f0c", "blob:uploads/3f0c/source", SPEC, 1_700_000_000_000L);

        String json = Json.mapper().writeValueAsString(request);

        assertThat(Json.mapper().readValue(json, JobRequest.class)).isEqualTo(request);
    }

    @Test
    void absentOptionalsAreLeftOutOfTheWireJsonAndComeBackAsDefaults() throws Exception {
        JobRequest request = new JobRequest("3f0c", "file:///a.mp4", JobSpec.defaults(), 1);

        String json = Json.mapper().writeValueAsString(request);

        assertThat(json).doesNotContain("null").doesNotContain("\"input\"").doesNotContain("fps");
        assertThat(Json.mapper().readValue(json, JobRequest.class)).isEqualTo(request);
    }
}
