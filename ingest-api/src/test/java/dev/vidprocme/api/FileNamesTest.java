package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Upload file names become harmless display names. */
class FileNamesTest {
    @Test
    void keepsOnlyTheLastPathElement() {
        assertThat(FileNames.sanitize("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitize("C:\\Users\\me\\clip.mp4")).isEqualTo("clip.mp4");
        assertThat(FileNames.sanitize("/abs/path/video.mov")).isEqualTo("video.mov");
    }

    @Test
    void dropsControlAndFormattingCharacters() {
        assertThat(FileNames.sanitize("a\u0000b\r\nc\u001b[31m.mp4")).isEqualTo("abc[31m.mp4");
        // A right-to-left override would make "gpj.exe" read as "exe.jpg".
        assertThat(FileNames.sanitize("clip\u202Egpj.exe")).isEqualTo("clipgpj.exe");
    }

    @Test
    void nothingMeaningfulLeftIsNull() {
        assertThat(FileNames.sanitize(null)).isNull();
        assertThat(FileNames.sanitize("")).isNull();
        assertThat(FileNames.sanitize("../")).isNull();
        assertThat(FileNames.sanitize("..")).isNull();
        assertThat(FileNames.sanitize("  \t ")).isNull();
    }

    @Test
    void limitsTheLengthWithoutSplittingSurrogatePairs() {
        assertThat(FileNames.sanitize("x".repeat(1000))).hasSize(255);
        String emoji = "\uD83C\uDFAC"; // clapper board, two UTF-16 units
        String name = FileNames.sanitize("a".repeat(254) + emoji + "tail");
        assertThat(name).isEqualTo("a".repeat(254));
        assertThat(FileNames.sanitize("clip " + emoji + ".mp4"))
                .isEqualTo("clip " + emoji + ".mp4");
    }
}
