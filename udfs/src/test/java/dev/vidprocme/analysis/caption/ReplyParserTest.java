package dev.vidprocme.analysis.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
    private static final List<CaptionField> ALL = CaptionField.parse(null);

    @Test
    void readsOneObjectPerImageInOrder() throws Exception {
        List<ReplyParser.Parsed> parsed =
                ReplyParser.parse(
                        "[{\"caption\":\"a cat\",\"tags\":[\"cat\"],\"objects\":[\"sofa\"],"
                                + "\"text\":\"\"},{\"caption\":\"a dog\",\"tags\":[],"
                                + "\"objects\":[],\"text\":\"EXIT\"}]",
                        2,
                        ALL);

        assertThat(parsed)
                .containsExactly(
                        new ReplyParser.Parsed("a cat", List.of("cat"), List.of("sofa"), ""),
                        new ReplyParser.Parsed("a dog", List.of(), List.of(), "EXIT"));
    }

    @Test
    void acceptsACodeFenceAndAnObjectWrappingTheArray() throws Exception {
        List<CaptionField> captionOnly = CaptionField.parse(List.of("caption"));
        assertThat(ReplyParser.parse("```json\n[{\"caption\":\"x\"}]\n```", 1, captionOnly))
                .containsExactly(new ReplyParser.Parsed("x", null, null, null));
        assertThat(ReplyParser.parse("{\"frames\":[{\"caption\":\"y\"}]}", 1, captionOnly))
                .containsExactly(new ReplyParser.Parsed("y", null, null, null));
    }

    @Test
    void saysWhatIsWrongSoTheModelCanFixIt() {
        assertThatThrownBy(() -> ReplyParser.parse("here you go: [", 1, ALL))
                .isInstanceOf(MalformedReplyException.class)
                .hasMessageStartingWith("the reply is not valid JSON");
        assertThatThrownBy(() -> ReplyParser.parse("[{\"caption\":\"x\"}]", 2, ALL))
                .hasMessage("the array must have exactly 2 objects, one per image, but has 1");
        assertThatThrownBy(
                        () ->
                                ReplyParser.parse(
                                        "[{\"caption\":\"x\",\"tags\":\"cat\",\"objects\":[],"
                                                + "\"text\":\"\"}]",
                                        1,
                                        ALL))
                .hasMessageContaining("item 0: field \"tags\" must be an array of strings");
        assertThatThrownBy(() -> ReplyParser.parse("[{\"tags\":[]}]", 1, ALL))
                .hasMessageContaining("field \"caption\" must be a string, got nothing");
        assertThatThrownBy(() -> ReplyParser.parse("{\"caption\":\"x\"}", 1, ALL))
                .hasMessageContaining("must be a JSON array");
    }

    @Test
    void unknownFieldsInTheSpecAreNamed() {
        assertThatThrownBy(() -> CaptionField.parse(List.of("caption", "mood")))
                .isInstanceOf(CaptionConfigException.class)
                .hasMessageContaining("'mood'")
                .hasMessageContaining("caption, tags, objects, text");
    }
}
