package dev.vidprocme.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vidprocme.records.FrameMode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameModeSpecTest {
    @ParameterizedTest
    @ValueSource(strings = {"all", "keyframes", "scenes"})
    void acceptsEachModeWithoutFps(String mode) throws SpecException {
        FrameSpec frames = JobSpecParser.parse("{\"frames\":{\"mode\":\"" + mode + "\"}}").frames();

        assertThat(frames.mode()).isEqualTo(FrameMode.fromWire(mode));
        assertThat(frames.fps()).isNull();
    }

    @Test
    void fpsImpliesFpsModeAndMayNameIt() throws SpecException {
        assertThat(JobSpecParser.parse("{\"frames\":{\"fps\":2}}").frames().mode())
                .isEqualTo(FrameMode.FPS);
        assertThat(JobSpecParser.parse("{\"frames\":{\"fps\":2,\"mode\":\"fps\"}}").frames().mode())
                .isEqualTo(FrameMode.FPS);
    }

    @Test
    void scenesModeTakesAMaxFrames() throws SpecException {
        FrameSpec frames =
                JobSpecParser.parse("{\"frames\":{\"mode\":\"scenes\",\"maxFrames\":12}}").frames();

        assertThat(frames.maxFrames()).isEqualTo(12);
    }

    @Test
    void unknownModeNamesTheFieldAndTheAcceptedValues() {
        SpecException e = reject("{\"frames\":{\"mode\":\"shots\"}}");

        assertThat(e.field()).isEqualTo("frames.mode");
        assertThat(e.getMessage())
                .contains("frames.mode", "'shots'", "all, fps, keyframes, scenes")
                .doesNotContain("not valid JSON");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"frames\":{\"fps\":2,\"mode\":\"scenes\"}}|frames.fps|'scenes'",
                "{\"frames\":{\"fps\":2,\"mode\":\"keyframes\"}}|frames.fps|'keyframes'",
                "{\"frames\":{\"mode\":\"fps\"}}|frames.fps|needs frames.fps",
                "{\"frames\":{\"mode\":\"scenes\",\"maxFrames\":0}}|frames.maxFrames|got 0",
                "{\"frames\":{\"mode\":\"scenes\",\"maxFrames\":10001}}|frames.maxFrames|got 10001",
                "{\"frames\":{\"maxFrames\":5}}|frames.maxFrames|'all'"
            })
    void rejectsModeCombinationsNamingTheField(String json, String field, String detail) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(field, detail);
    }

    private static SpecException reject(String json) {
        SpecException e =
                catchThrowableOfType(SpecException.class, () -> JobSpecParser.parse(json));
        assertThat(e).as("rejection of %s", json).isNotNull();
        return e;
    }

    @Test
    void modeNoneNeedsAnOutput() {
        assertThatThrownBy(() -> JobSpecParser.parse("{\"frames\": {\"mode\": \"none\"}}"))
                .isInstanceOfSatisfying(
                        SpecException.class,
                        e -> {
                            assertThat(e.field()).isEqualTo("frames.mode");
                            assertThat(e.getMessage()).contains("outputs");
                        });
    }

    @Test
    void modeNoneWithAnOutputIsATranscodeOnlyJob() throws Exception {
        JobSpec spec =
                JobSpecParser.parse(
                        "{\"frames\": {\"mode\": \"none\"}, \"outputs\": [{\"name\": \"480p\","
                                + " \"container\": \"mp4\", \"video\": {\"codec\": \"h264\","
                                + " \"height\": 480}}]}");

        assertThat(spec.frames().mode()).isEqualTo(FrameMode.NONE);
    }
}
