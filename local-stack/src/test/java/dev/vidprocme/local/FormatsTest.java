package dev.vidprocme.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.spec.Json;
import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void timesShowMinutesAndHoursOnlyWhenNeeded() {
        assertThat(Formats.time(0)).isEqualTo("0:00.000");
        assertThat(Formats.time(3_500)).isEqualTo("0:03.500");
        assertThat(Formats.time(754_321)).isEqualTo("12:34.321");
        assertThat(Formats.time(3_723_004)).isEqualTo("1:02:03.004");
    }

    @Test
    void sizesUseBinaryUnits() {
        assertThat(Formats.size(0)).isEqualTo("0 B");
        assertThat(Formats.size(1023)).isEqualTo("1023 B");
        assertThat(Formats.size(1536)).isEqualTo("1.5 KiB");
        assertThat(Formats.size(5L * 1024 * 1024 + 104_858)).isEqualTo("5.1 MiB");
        assertThat(Formats.size(3L << 30)).isEqualTo("3.0 GiB");
    }

    @Test
    void timelineDrawsEachTransitionWhereItsSceneStarts() throws Exception {
        JsonNode scenes =
                Json.mapper()
                        .readTree(
                                """
                                [{"index":0,"startMs":0,"endMs":2000,"kind":"start","score":0},
                                 {"index":1,"startMs":2000,"endMs":5000,"kind":"cut","score":0.9},
                                 {"index":2,"startMs":5000,"endMs":7500,"kind":"fade","score":0.4},
                                 {"index":3,"startMs":7500,"endMs":10000,"kind":"dissolve","score":0.3}]
                                """);

        assertThat(Formats.timeline(scenes, 20)).isEqualTo("[----|-----/----~----]");
    }

    @Test
    void timelineMarksSeveralTransitionsInOneCell() throws Exception {
        JsonNode scenes =
                Json.mapper()
                        .readTree(
                                """
                                [{"index":0,"startMs":0,"endMs":5000,"kind":"start","score":0},
                                 {"index":1,"startMs":5000,"endMs":5010,"kind":"cut","score":0.9},
                                 {"index":2,"startMs":5010,"endMs":10000,"kind":"cut","score":0.8}]
                                """);

        assertThat(Formats.timeline(scenes, 10)).isEqualTo("[-----*----]");
    }

    @Test
    void timelineOfOneSceneHasNoMarks() throws Exception {
        JsonNode scenes =
                Json.mapper()
                        .readTree(
                                "[{\"index\":0,\"startMs\":0,\"endMs\":4000,\"kind\":\"start\",\"score\":0}]");

        assertThat(Formats.timeline(scenes, 8)).isEqualTo("[--------]");
    }

    @Test
    void snippetBracketsMatchesWithoutATerminalAndUnescapesEntities() {
        String html =
                "Tom &amp; Jerry say &lt;<mark>hello</mark>&gt; &quot;<mark>world</mark>&quot;";

        assertThat(Formats.snippet(html, false)).isEqualTo("Tom & Jerry say <[hello]> \"[world]\"");
    }

    @Test
    void snippetColoursMatchesInATerminal() {
        assertThat(Formats.snippet("say <mark>hi</mark>", true))
                .isEqualTo("say " + Formats.ANSI_MARK + "hi" + Formats.ANSI_RESET);
    }

    @Test
    void snippetDropsControlCharactersReadFromAVideo() {
        // An escape sequence as on-screen text must not reach the terminal as one.
        String html = "evil\u001b[2J <mark>te\u0007xt</mark>\nnext\u009bline";

        assertThat(Formats.snippet(html, true))
                .isEqualTo(
                        "evil[2J " + Formats.ANSI_MARK + "text" + Formats.ANSI_RESET + " nextline");
    }

    @Test
    void snippetKeepsAnUnclosedMarkAsText() {
        assertThat(Formats.snippet("a <mark>b", false)).isEqualTo("a <mark>b");
    }
}
