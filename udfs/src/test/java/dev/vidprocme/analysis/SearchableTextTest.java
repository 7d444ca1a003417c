package dev.vidprocme.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Deriving the searchable body from analysers' JSON results. */
class SearchableTextTest {
    @Test
    void ocrLinesBecomeOneLineEachWithoutBoxesOrConfidence() {
        String json =
                "{\"lines\": [{\"text\": \"PLATFORM 4\", \"confidence\": 0.98, \"box\": [1, 2, 3,"
                        + " 4]}, {\"text\": \" Leeds \", \"confidence\": 0.91, \"box\": [5, 6, 7,"
                        + " 8]}], \"model\": \"pp-ocrv4\"}";
        assertThat(SearchableText.of(json)).isEqualTo("PLATFORM 4\nLeeds");
    }

    @Test
    void captionTagsObjectsAndVisibleTextAreKeptAndUsageIsNot() {
        String json =
                "{\"caption\": \"A red bus on a bridge\", \"tags\": [\"bus\", \"city\"],"
                    + " \"objects\": [{\"name\": \"bus\", \"count\": 1}], \"text\": [\"No 42\"],"
                    + " \"usage\": {\"inputTokens\": 812, \"note\": \"cached\"}, \"model\":"
                    + " \"llava:13b\"}";
        assertThat(SearchableText.of(json))
                .isEqualTo("A red bus on a bridge\nbus\ncity\nbus\nNo 42");
    }

    @Test
    void numbersOnlyGiveAnEmptyBodyAndControlCharactersAreBlanked() {
        assertThat(SearchableText.of("{\"brightness\": 0.4, \"motion\": 0.1}")).isEmpty();
        assertThat(SearchableText.of("[\"a\\u0002b\"]")).isEqualTo("a b");
    }

    @Test
    void refusesSomethingThatIsNotJson() {
        assertThatThrownBy(() -> SearchableText.of("{not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
    }
}
