package dev.vidprocme.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.records.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnalysisSpecTest {

    @Test
    void analysersRunByDefaultWithoutCaptions() throws Exception {
        JobSpec spec = JobSpecParser.parse("{}");

        assertThat(spec.analysis().ocr()).isTrue();
        assertThat(spec.analysis().stats()).isTrue();
        assertThat(spec.analysis().intervalSeconds()).isEqualTo(10.0);
        assertThat(spec.analysis().caption()).isNull();
    }

    @Test
    void acceptsACaptionSection() throws Exception {
        JobSpec spec =
                JobSpecParser.parse(
                        "{\"analysis\": {\"ocr\": false, \"maxTokens\": 5000, \"caption\":"
                            + " {\"provider\": \"ollama\", \"model\": \"llava\","
                            + " \"framesPerRequest\": 4, \"fields\": [\"caption\", \"tags\"]}}}");

        assertThat(spec.analysis().ocr()).isFalse();
        assertThat(spec.analysis().caption().model()).isEqualTo("llava");
        assertThat(spec.analysis().caption().fields()).containsExactly("caption", "tags");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"intervalSeconds\": 0} | analysis.intervalSeconds",
                "{\"maxTokens\": 0} | analysis.maxTokens",
                "{\"maxCostUsd\": -1} | analysis.maxCostUsd",
                "{\"caption\": {\"provider\": \"bard\", \"model\": \"m\"}} |"
                        + " analysis.caption.provider",
                "{\"caption\": {\"provider\": \"openai\"}} | analysis.caption.model",
                "{\"caption\": {\"provider\": \"openai\", \"model\": \"m\","
                        + " \"framesPerRequest\": 99}} | analysis.caption.framesPerRequest",
                "{\"caption\": {\"provider\": \"openai\", \"model\": \"m\", \"fields\":"
                        + " [\"mood\"]}} | analysis.caption.fields",
                "{\"caption\": {\"provider\": \"openai\", \"model\": \"m\", \"prompt\":"
                        + " \" \"}} | analysis.caption.prompt"
            })
    void refusesAWrongAnalysisSectionNamingTheField(String analysis, String field) {
        assertThatThrownBy(() -> JobSpecParser.parse("{\"analysis\": " + analysis + "}"))
                .isInstanceOfSatisfying(
                        SpecException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
