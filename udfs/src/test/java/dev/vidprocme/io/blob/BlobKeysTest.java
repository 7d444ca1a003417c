package dev.vidprocme.io.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeysTest {
    private static final String JOB = "0b9c2f1e-5a7d-4c1b-9e2f-3d4c5b6a7e8f";

    @Test
    void frameKeysAreFramesJobIndexJpg() {
        assertThat(BlobKeys.frame(JOB, 0)).isEqualTo("frames/" + JOB + "/0.jpg");
        assertThat(BlobKeys.frame(JOB, 431_999)).isEqualTo("frames/" + JOB + "/431999.jpg");
    }

    @Test
    void uploadKeysAreUploadsJobSource() {
        assertThat(BlobKeys.upload(JOB)).isEqualTo("uploads/" + JOB + "/source");
    }

    @Test
    void builtKeysPassTheCheck() {
        assertThat(BlobKeys.check(BlobKeys.frame(JOB, 7))).isEqualTo(BlobKeys.frame(JOB, 7));
        assertThat(BlobKeys.check(BlobKeys.upload(JOB))).isEqualTo(BlobKeys.upload(JOB));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a/b", "frames/x/1.jpg", "A_b-c.d/e", "x/a..b"})
    void acceptsPlainSlashSeparatedKeys(String key) {
        assertThat(BlobKeys.check(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "..",
                "../x",
                "a/../b",
                "a/..",
                ".",
                "./a",
                "a/./b",
                "/a",
                "/etc/passwd",
                "a/",
                "a//b",
                "a\\b",
                "..\\x",
                "a b",
                " a",
                "%2e%2e/x",
                "a/%2e%2e/b",
                ".hidden",
                "a/.tmp",
                "-a",
                "a/b?c",
                "a:b",
                "ä",
                "a\u0000b",
                "a\nb"
            })
    void rejectsKeysThatCouldEscapeOrBeMisread(String key) {
        assertThatIllegalArgumentException().isThrownBy(() -> BlobKeys.check(key));
    }

    @Test
    void rejectsVeryLongKeys() {
        String longSegment = "a".repeat(129);
        assertThatIllegalArgumentException().isThrownBy(() -> BlobKeys.check(longSegment));

        String manySegments = ("a".repeat(100) + "/").repeat(11) + "a";
        assertThat(manySegments.length()).isGreaterThan(1024);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BlobKeys.check(manySegments))
                .withMessageContaining("1..1024");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"..", "a/b", "../../etc", "a b", ".x"})
    void refusesJobIdsThatAreNotOneSafeSegment(String jobId) {
        assertThatIllegalArgumentException().isThrownBy(() -> BlobKeys.frame(jobId, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> BlobKeys.upload(jobId));
    }
}
