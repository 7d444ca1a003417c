package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.records.JobSpec;
import org.junit.jupiter.api.Test;

/** The request fingerprint an Idempotency-Key is bound to. */
class RequestHashTest {
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    @Test
    void specsThatMeanTheSameHashTheSame() {
        String written = normalised("{\"frames\": {\"fps\": 1, \"quality\": 90}}");
        String reordered =
                normalised("{\"priority\": 5, \"frames\": {\"quality\": 90, \"fps\": 1.0}}");
        assertThat(written).isEqualTo(reordered);
        assertThat(RequestHash.ofUri(written, "file:///v/a.mp4"))
                .isEqualTo(RequestHash.ofUri(reordered, "file:///v/a.mp4"));
    }

    @Test
    void anyDifferenceInSpecOrInputChangesTheHash() {
        String spec = normalised("{}");
        String other = normalised("{\"priority\": 6}");
        String base = RequestHash.ofUri(spec, "file:///v/a.mp4");
        assertThat(base)
                .isNotEqualTo(RequestHash.ofUri(other, "file:///v/a.mp4"))
                .isNotEqualTo(RequestHash.ofUri(spec, "file:///v/b.mp4"));
        String upload = RequestHash.ofUpload(spec, SHA_A, 10);
        assertThat(upload)
                .isNotEqualTo(RequestHash.ofUpload(spec, SHA_B, 10))
                .isNotEqualTo(RequestHash.ofUpload(spec, SHA_A, 11))
                .isNotEqualTo(RequestHash.ofUpload(other, SHA_A, 10))
                .isEqualTo(RequestHash.ofUpload(spec, SHA_A, 10));
    }

    @Test
    void isLowerCaseHexSha256() {
        assertThat(RequestHash.ofUri(normalised("{}"), "file:///x")).matches("[0-9a-f]{64}");
        // The well-known digest of the empty string pins the algorithm and the encoding.
        assertThat(RequestHash.sha256Hex(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void canonicalTextCannotBeShiftedBetweenFields() {
        // Without length prefixes "ab" + "c" and "a" + "bc" would read the same.
        assertThat(RequestHash.canonical("uri", "ab", "c"))
                .isNotEqualTo(RequestHash.canonical("uri", "a", "bc"));
        assertThat(RequestHash.ofUri("{}", "x")).isNotEqualTo(RequestHash.ofUpload("{}", "x", 0));
    }

    private static String normalised(String json) {
        JobSpec spec = Specs.parse(json);
        return Specs.normalisedJson(spec.withoutInput());
    }
}
