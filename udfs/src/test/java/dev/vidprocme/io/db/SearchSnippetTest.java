package dev.vidprocme.io.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Snippets are safe to put into a page: escaped text, only our own highlight tags. */
class SearchSnippetTest {
    @Test
    void escapesMarkupAndTurnsMarkersIntoMarkTags() {
        assertThat(SearchRepository.snippet("<b>\"Tom\" & 'Jerry'</b> \u0002exit\u0003 now"))
                .isEqualTo(
                        "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
                                + " <mark>exit</mark> now");
    }
}
