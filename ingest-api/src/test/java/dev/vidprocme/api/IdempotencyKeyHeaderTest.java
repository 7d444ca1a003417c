package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Idempotency-Key header: 1..255 printable ASCII characters, sent at most once. */
class IdempotencyKeyHeaderTest {

    @Test
    void absentHeaderMeansNoKey() {
        assertThat(IdempotencyKeyHeader.parse(List.of())).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "123e4567-e89b-12d3-a456-426614174000",
                "order 42 / retry ~!@#$%^&*()_+{}|:\"<>?",
            })
    void acceptsPrintableAscii(String key) {
        assertThat(IdempotencyKeyHeader.parse(List.of(key))).isEqualTo(key);
    }

    @Test
    void acceptsExactly255Characters() {
        String key = "k".repeat(255);
        assertThat(IdempotencyKeyHeader.parse(List.of(key))).isEqualTo(key);
    }

    @Test
    void rejectsEmptyAndTooLongKeysNamingTheHeader() {
        assertRejected("", "1 to 255 characters, got 0");
        assertRejected("k".repeat(256), "1 to 255 characters, got 256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9", "tab\there", "bell\u0007", "del\u007f", "snow\u2603"})
    void rejectsCharactersOutsidePrintableAscii(String key) {
        assertRejected(key, "printable ASCII");
    }

    @Test
    void rejectsARepeatedHeader() {
        assertThatThrownBy(() -> IdempotencyKeyHeader.parse(List.of("a", "b")))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.getMessage()).contains("one Idempotency-Key header");
                        });
    }

    private static void assertRejected(String key, String why) {
        assertThatThrownBy(() -> IdempotencyKeyHeader.parse(List.of(key)))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.code()).isEqualTo("invalid_parameter");
                            assertThat(e.field()).isEqualTo("Idempotency-Key");
                            assertThat(e.getMessage()).contains("Idempotency-Key").contains(why);
                        });
    }
}
