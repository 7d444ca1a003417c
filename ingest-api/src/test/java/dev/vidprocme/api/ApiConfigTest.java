package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.io.db.DbSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration defaults, derived signing key, and errors that name the setting. */
class ApiConfigTest {
    private static ApiConfig.Builder valid() {
        return ApiConfig.builder()
                .apiToken("token-0123456789abcdef")
                .blobStoreUri("file:///tmp/blobs")
                .db(new DbSettings("jdbc:postgresql://localhost:5432/vidproc", "u", "p"))
                .kafkaBootstrap("localhost:9092");
    }

    @Test
    void defaults() {
        ApiConfig c = valid().build();
        assertThat(c.bindHost()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.jobsTopic()).isEqualTo("vidproc.jobs");
        assertThat(c.maxUploadBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(c.allowedInputRoots()).isEmpty();
        assertThat(c.publicBaseUrl()).isNull();
        assertThat(c.frameUrlTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(c.enqueueTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.workerThreads()).isEqualTo(16);
    }

    @Test
    void signingKeyIsDerivedStablyFromTheToken() {
        byte[] a = valid().build().frameUrlKey();
        byte[] b = valid().build().frameUrlKey();
        byte[] other = valid().apiToken("another-token-0123456789").build().frameUrlKey();
        assertThat(a).hasSize(32).isEqualTo(b).isNotEqualTo(other);
        assertThat(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("token-0123456789abcdef");
    }

    @Test
    void explicitSigningKeyIsCopied() {
        byte[] key = "0123456789abcdef0123".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ApiConfig c = valid().frameUrlKey(key).build();
        key[0] = 'X';
        assertThat(c.frameUrlKey()[0]).isEqualTo((byte) '0');
        c.frameUrlKey()[1] = 'Y';
        assertThat(c.frameUrlKey()[1]).isEqualTo((byte) '1');
    }

    @Test
    void publicBaseUrlLosesItsTrailingSlash() {
        assertThat(valid().publicBaseUrl("https://api.example.com/vid/").build().publicBaseUrl())
                .isEqualTo("https://api.example.com/vid");
    }

    @Test
    void errorsNameTheSetting() {
        assertInvalid(valid().apiToken(null), "apiToken");
        assertInvalid(valid().apiToken("with space"), "apiToken");
        assertInvalid(valid().port(70000), "port");
        assertInvalid(valid().blobStoreUri(null), "blobStoreUri");
        assertInvalid(valid().blobStoreUri("relative/path"), "blobStoreUri");
        assertInvalid(valid().db(null), "db");
        assertInvalid(valid().db(new DbSettings("jdbc:mysql://x/y", "u", "p")), "db");
        assertInvalid(valid().kafkaBootstrap(" "), "kafkaBootstrap");
        assertInvalid(valid().jobsTopic("bad topic"), "jobsTopic");
        assertInvalid(valid().allowedInputRoots(List.of(Path.of("relative"))), "allowedInputRoots");
        assertInvalid(valid().maxUploadBytes(-1), "maxUploadBytes");
        assertInvalid(valid().publicBaseUrl("ftp://x"), "publicBaseUrl");
        assertInvalid(valid().frameUrlKey(new byte[4]), "frameUrlKey");
        assertInvalid(valid().frameUrlTtl(Duration.ZERO), "frameUrlTtl");
        assertInvalid(valid().enqueueTimeout(Duration.ofMillis(1)), "enqueueTimeout");
        assertInvalid(valid().workerThreads(-2), "workerThreads");
    }

    @Test
    void toStringHidesSecrets() {
        String s = valid().build().toString();
        assertThat(s)
                .doesNotContain("token-0123456789abcdef")
                .doesNotContain("p]")
                .contains("apiToken=***");
    }

    private static void assertInvalid(ApiConfig.Builder builder, String setting) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ApiConfig." + setting + " ");
    }
}
