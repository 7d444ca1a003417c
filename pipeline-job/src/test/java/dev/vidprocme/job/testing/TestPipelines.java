package dev.vidprocme.job.testing;

import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.config.PipelineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;

/**
 * Pipeline configurations for tests: the real settings, pointed at the test's own topic and
 * folders.
 */
public final class TestPipelines {
    private TestPipelines() {}

    public static PipelineConfig config(
            TestServices services,
            String topic,
            Path blobRoot,
            List<Path> inputRoots,
            Map<String, String> overrides) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.KAFKA_BOOTSTRAP, services.kafka().bootstrapServers());
        c.set(PipelineOptions.JOBS_TOPIC, topic);
        c.set(PipelineOptions.CONSUMER_GROUP, topic + "-group");
        c.set(PipelineOptions.DB_URL, services.db().jdbcUrl());
        c.set(PipelineOptions.DB_USER, services.db().user());
        c.set(PipelineOptions.DB_PASSWORD, services.db().password());
        c.set(PipelineOptions.BLOB_URI, blobRoot.toUri().toString());
        c.set(
                PipelineOptions.INPUT_ROOTS,
                inputRoots.stream()
                        .map(p -> p.toAbsolutePath().toString())
                        .collect(Collectors.toList()));
        overrides.forEach(c::setString);
        return PipelineConfig.from(c);
    }

    /**
     * The shared test videos beside the checkout ({@code ../shared/media}), if this machine has
     * them.
     */
    public static Path sharedMedia() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/media");
            if (candidate.resolve("MANIFEST.json").toFile().isFile()) {
                return candidate;
            }
        }
        return null;
    }
}
