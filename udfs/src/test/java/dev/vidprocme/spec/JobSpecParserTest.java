package dev.vidprocme.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.InputSpec;
import dev.vidprocme.records.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobSpecParserTest {

    @Test
    void emptyObjectTakesEveryDefault() throws SpecException {
        JobSpec spec = JobSpecParser.parse("{}");

        assertThat(spec.input()).isNull();
        assertThat(spec.priority()).isEqualTo(5);
        assertThat(spec.frames().fps()).as("every frame").isNull();
        assertThat(spec.frames().maxWidth()).isNull();
        assertThat(spec.frames().quality()).isEqualTo(90);
        assertThat(spec).isEqualTo(JobSpec.defaults());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\n\t", "null"})
    void blankOrAbsentSpecIsTheDefaultSpec(String json) throws SpecException {
        assertThat(JobSpecParser.parse(json)).isEqualTo(JobSpec.defaults());
    }

    @Test
    void emptyFramesSectionTakesFrameDefaults() throws SpecException {
        JobSpec spec = JobSpecParser.parse("{\"frames\":{}}");

        assertThat(spec.frames()).isEqualTo(FrameSpec.everyFrame());
    }

    @Test
    void readsEveryField() throws SpecException {
        JobSpec spec =
                JobSpecParser.parse(
                        "{\"input\":{\"uri\":\"file:///videos/a.mp4\"},\"priority\":9,"
                                + "\"frames\":{\"fps\":2.5,\"maxWidth\":640,\"quality\":75}}");

        assertThat(spec.input()).isEqualTo(new InputSpec("file:///videos/a.mp4"));
        assertThat(spec.priority()).isEqualTo(9);
        assertThat(spec.frames()).isEqualTo(new FrameSpec(2.5, 640, 75));
    }

    @Test
    void acceptsTheBoundaryValues() throws SpecException {
        assertThat(
                        JobSpecParser.parse(
                                "{\"priority\":0,\"frames\":{\"fps\":240,\"maxWidth\":16,\"quality\":1}}"))
                .isEqualTo(new JobSpec(null, 0, new FrameSpec(240.0, 16, 1), null));
        assertThat(
                        JobSpecParser.parse(
                                "{\"priority\":9,\"frames\":{\"fps\":0.01,\"maxWidth\":7680,\"quality\":100}}"))
                .isEqualTo(new JobSpec(null, 9, new FrameSpec(0.01, 7680, 100), null));
    }

    @Test
    void rejectsUnknownTopLevelFieldNamingIt() {
        SpecException e = reject("{\"priorty\":3}");

        assertThat(e.field()).isEqualTo("priorty");
        assertThat(e.getMessage()).contains("'priorty'").contains("frames", "input", "priority");
    }

    @Test
    void rejectsUnknownNestedFieldNamingItsDottedPath() {
        SpecException e = reject("{\"frames\":{\"fpz\":1}}");

        assertThat(e.field()).isEqualTo("frames.fpz");
        assertThat(e.getMessage()).contains("'frames.fpz'").contains("fps", "maxWidth", "quality");
    }

    @Test
    void rejectsUnknownFieldInsideInput() {
        SpecException e = reject("{\"input\":{\"uri\":\"file:///a.mp4\",\"headers\":{}}}");

        assertThat(e.field()).isEqualTo("input.headers");
        assertThat(e.getMessage()).contains("input.headers");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"priority\":\"high\"}|priority",
                "{\"priority\":true}|priority",
                "{\"priority\":\"5\"}|priority",
                "{\"frames\":{\"fps\":\"2\"}}|frames.fps",
                "{\"priority\":[1]}|priority",
                "{\"frames\":{\"fps\":\"fast\"}}|frames.fps",
                "{\"frames\":{\"maxWidth\":{}}}|frames.maxWidth",
                "{\"frames\":{\"quality\":\"best\"}}|frames.quality",
                "{\"frames\":3}|frames",
                "{\"frames\":[]}|frames",
                "{\"input\":\"file:///a.mp4\"}|input",
                "{\"input\":{\"uri\":42}}|input.uri",
            })
    void rejectsWrongTypesNamingTheField(String json, String field) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains("'" + field + "'").contains("wrong type");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"priority\":1.5}|priority",
                "{\"frames\":{\"maxWidth\":640.5}}|frames.maxWidth",
                "{\"frames\":{\"quality\":90.9}}|frames.quality",
            })
    void rejectsFractionsWhereWholeNumbersAreExpected(String json, String field) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(field);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"priority\":-1}|priority|-1",
                "{\"priority\":10}|priority|10",
                "{\"frames\":{\"fps\":0}}|frames.fps|0.0",
                "{\"frames\":{\"fps\":-1}}|frames.fps|-1.0",
                "{\"frames\":{\"fps\":241}}|frames.fps|241.0",
                "{\"frames\":{\"maxWidth\":15}}|frames.maxWidth|15",
                "{\"frames\":{\"maxWidth\":7681}}|frames.maxWidth|7681",
                "{\"frames\":{\"quality\":0}}|frames.quality|0",
                "{\"frames\":{\"quality\":101}}|frames.quality|101",
            })
    void rejectsOutOfRangeValuesNamingTheFieldAndValue(String json, String field, String value) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).startsWith(field).contains("got " + value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"priority\":1}]", "\"priority\"", "42", "true"})
    void rejectsDocumentsThatAreNotObjects(String json) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo("spec");
        assertThat(e.getMessage()).contains("must be a JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{\"priority\":1} {\"priority\":2}", "{}]", "{} []"})
    void rejectsTrailingGarbageAfterTheObject(String json) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo("spec");
        assertThat(e.getMessage()).doesNotContain("must be a JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"priority\":}", "{priority:1}", "{'priority':1}", "not json"})
    void rejectsMalformedJson(String json) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo("spec");
        assertThat(e.getMessage()).contains("not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"input\":{}}",
                "{\"input\":{\"uri\":\"\"}}",
                "{\"input\":{\"uri\":\"  \"}}",
                "{\"input\":{\"uri\":null}}"
            })
    void rejectsInputWithoutUri(String json) {
        SpecException e = reject(json);

        assertThat(e.field()).isEqualTo("input.uri");
        assertThat(e.getMessage()).contains("input.uri is required");
    }

    @Test
    void validateChecksSpecsBuiltInCode() {
        JobSpec spec = new JobSpec(null, 3, new FrameSpec(null, null, 500), null);

        SpecException e =
                catchThrowableOfType(SpecException.class, () -> JobSpecParser.validate(spec));

        assertThat(e.field()).isEqualTo("frames.quality");
    }

    @ParameterizedTest
    @CsvSource({"100,2", "93,4", "1,31", "90,5", "50,17"})
    void qscaleMapsQualityLinearlyOntoFfmpegScale(int quality, int qscale) {
        assertThat(new FrameSpec(null, null, quality).qscale()).isEqualTo(qscale);
    }

    @Test
    void qscaleGetsBetterAsQualityRises() {
        int previous = Integer.MAX_VALUE;
        for (int quality = 1; quality <= 100; quality++) {
            int q = new FrameSpec(null, null, quality).qscale();
            assertThat(q).isBetween(2, 31).isLessThanOrEqualTo(previous);
            previous = q;
        }
    }

    private static SpecException reject(String json) {
        SpecException e =
                catchThrowableOfType(SpecException.class, () -> JobSpecParser.parse(json));
        assertThat(e).as("rejection of %s", json).isNotNull();
        return e;
    }
}
