package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration from VIDPROC_* environment variables. */
class EnvConfigTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("VIDPROC_API_TOKEN", "token-0123456789abcdef");
        env.put("VIDPROC_DB_URL", "jdbc:postgresql://db:5432/vidproc");
        env.put("VIDPROC_DB_USER", "vidproc");
        env.put("VIDPROC_DB_PASSWORD", "pw");
        env.put("VIDPROC_KAFKA_BOOTSTRAP", "kafka:9092");
        env.put("VIDPROC_BLOB_URI", "file:///var/lib/vidproc/blobs");
        return env;
    }

    @Test
    void readsTheVariables() {
        Map<String, String> env = env();
        env.put(
                "VIDPROC_INPUT_ROOTS",
                "/srv/a" + File.pathSeparator + File.pathSeparator + "/srv/b");
        env.put("VIDPROC_API_PORT", "9000");
        env.put("VIDPROC_MAX_UPLOAD_BYTES", "1048576");
        ApiConfig c = EnvConfig.fromEnv(env);
        assertThat(c.apiToken()).isEqualTo("token-0123456789abcdef");
        assertThat(c.db().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/vidproc");
        assertThat(c.db().user()).isEqualTo("vidproc");
        assertThat(c.db().password()).isEqualTo("pw");
        assertThat(c.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(c.blobStoreUri()).isEqualTo("file:///var/lib/vidproc/blobs");
        assertThat(c.allowedInputRoots()).containsExactly(Path.of("/srv/a"), Path.of("/srv/b"));
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.maxUploadBytes()).isEqualTo(1048576);
    }

    @Test
    void standaloneDefaults() {
        ApiConfig c = EnvConfig.fromEnv(env());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.allowedInputRoots()).isEmpty();
        assertThat(c.bindHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void errorsNameTheVariable() {
        for (String name :
                new String[] {
                    "VIDPROC_API_TOKEN",
                    "VIDPROC_DB_URL",
                    "VIDPROC_KAFKA_BOOTSTRAP",
                    "VIDPROC_BLOB_URI"
                }) {
            Map<String, String> env = env();
            env.remove(name);
            assertThatThrownBy(() -> EnvConfig.fromEnv(env)).hasMessageContaining(name);
        }
        Map<String, String> env = env();
        env.put("VIDPROC_API_PORT", "http");
        assertThatThrownBy(() -> EnvConfig.fromEnv(env)).hasMessageContaining("VIDPROC_API_PORT");
        env.put("VIDPROC_API_PORT", "8080");
        env.put("VIDPROC_MAX_UPLOAD_BYTES", "-5");
        assertThatThrownBy(() -> EnvConfig.fromEnv(env))
                .hasMessageContaining("VIDPROC_MAX_UPLOAD_BYTES");
        env.remove("VIDPROC_MAX_UPLOAD_BYTES");
        env.put("VIDPROC_INPUT_ROOTS", "relative/dir");
        assertThatThrownBy(() -> EnvConfig.fromEnv(env))
                .hasMessageContaining("VIDPROC_INPUT_ROOTS");
    }
}
