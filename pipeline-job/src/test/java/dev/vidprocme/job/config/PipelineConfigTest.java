package dev.vidprocme.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.vidprocme.analysis.OcrSettings;
import dev.vidprocme.analysis.caption.CaptionSettings;
import dev.vidprocme.analysis.caption.ModelPrice;
import dev.vidprocme.functions.AnalysisSettings;
import dev.vidprocme.functions.GpuSettings;
import dev.vidprocme.functions.RetryPolicy;
import dev.vidprocme.functions.StageSettings;
import dev.vidprocme.functions.TranscodeSettings;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.media.HwAccel;
import dev.vidprocme.notify.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineConfigTest {
    private static final String[] NO_ARGS = {};

    @Test
    void everyOptionalSettingHasItsDefault() {
        PipelineConfig config = PipelineConfig.from(required());

        assertThat(config.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(config.jobsTopic()).isEqualTo("vidproc.jobs");
        assertThat(config.consumerGroup()).isEqualTo("vidproc-pipeline");
        assertThat(config.db())
                .isEqualTo(new DbSettings("jdbc:postgresql://db:5432/vidproc", "vidproc", ""));
        assertThat(config.blobUri()).isEqualTo("file:///data/blobs");
        assertThat(config.inputRoots()).isEmpty();
        assertThat(config.segmentTarget()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.planWorkers()).isEqualTo(2);
        assertThat(config.planTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.decodeWorkers()).isEqualTo(2);
        assertThat(config.decoderThreads()).isZero();
        assertThat(config.encodeThreads()).isEqualTo(2);
        assertThat(config.decodeCapacity()).isEqualTo(256);
        assertThat(config.decodeDeadline()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.dlqTopic()).isEqualTo("vidproc.dlq");
        assertThat(config.eventsTopic()).isEqualTo("vidproc.job-events");
        assertThat(config.queueAging()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.retry().maxAttempts()).isEqualTo(6);
        assertThat(config.gpu()).isEqualTo(new GpuSettings(false, "gpu", 1.0, 1, HwAccel.AUTO));
    }

    @Test
    void anInvalidRetryPolicyNamesTheSettings() {
        Configuration c = required();
        c.setString("vidproc.retry.jitter", "1.5");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PipelineConfig.from(c))
                .withMessageContaining("vidproc.retry.")
                .withMessageContaining("jitter");
    }

    @Test
    void readsEverySetting() {
        Configuration c = required();
        c.setString("vidproc.kafka.jobs-topic", "jobs");
        c.setString("vidproc.kafka.group-id", "g");
        c.setString("vidproc.db.user", "u");
        c.setString("vidproc.db.password", "p");
        c.setString("vidproc.input.allowed-roots", "/videos;/mnt/share");
        c.setString("vidproc.segment.target", "30 s");
        c.setString("vidproc.plan.workers", "3");
        c.setString("vidproc.plan.timeout", "1 min");
        c.setString("vidproc.decode.workers", "4");
        c.setString("vidproc.decode.ffmpeg-threads", "8");
        c.setString("vidproc.decode.jpeg-threads", "3");
        c.setString("vidproc.decode.capacity", "16");
        c.setString("vidproc.decode.deadline", "90 s");
        c.setString("vidproc.checkpoint.interval", "5 s");
        c.setString("vidproc.plan.capacity", "32");
        c.setString("vidproc.decode.timeout", "20 min");
        c.setString("vidproc.kafka.dlq-topic", "dead");
        c.setString("vidproc.kafka.events-topic", "events");
        c.setString("vidproc.queue.aging", "0 s");
        c.setString("vidproc.retry.max-attempts", "3");
        c.setString("vidproc.retry.initial-backoff", "100 ms");
        c.setString("vidproc.retry.max-backoff", "2 s");
        c.setString("vidproc.retry.multiplier", "3");
        c.setString("vidproc.retry.jitter", "0");
        c.setString("vidproc.retry.max-total", "1 min");
        c.setString("vidproc.gpu.enabled", "true");
        c.setString("vidproc.gpu.resource-name", "nvidia");
        c.setString("vidproc.gpu.per-subtask", "0.5");
        c.setString("vidproc.gpu.subtasks-per-device", "2");
        c.setString("vidproc.gpu.hwaccel", "cuda");
        c.setString("vidproc.analysis.workers", "2");
        c.setString("vidproc.analysis.capacity", "64");
        c.setString("vidproc.analysis.timeout", "5 min");
        c.setString("vidproc.ocr.threads", "2");
        c.setString("vidproc.ocr.max-side", "640");
        c.setString("vidproc.caption.prices", "llava=0.5/1.5");

        PipelineConfig config = PipelineConfig.from(c);

        assertThat(config)
                .isEqualTo(
                        new PipelineConfig(
                                "kafka:9092",
                                "jobs",
                                "g",
                                new DbSettings("jdbc:postgresql://db:5432/vidproc", "u", "p"),
                                "file:///data/blobs",
                                List.of("/videos", "/mnt/share"),
                                Duration.ofSeconds(30),
                                3,
                                Duration.ofMinutes(1),
                                4,
                                8,
                                3,
                                16,
                                Duration.ofSeconds(90),
                                Duration.ofSeconds(5),
                                32,
                                Duration.ofMinutes(20),
                                "dead",
                                Duration.ZERO,
                                new RetryPolicy(
                                        3,
                                        Duration.ofMillis(100),
                                        Duration.ofSeconds(2),
                                        3,
                                        0,
                                        Duration.ofMinutes(1)),
                                new GpuSettings(true, "nvidia", 0.5, 2, HwAccel.CUDA),
                                "events",
                                new AnalysisSettings(
                                        2,
                                        OcrSettings.defaults()
                                                .withIntraOpThreads(2)
                                                .withMaxSideLen(640),
                                        CaptionSettings.fromEnvironment(System.getenv())
                                                .withPrices(
                                                        Map.of("llava", new ModelPrice(0.5, 1.5)))),
                                64,
                                Duration.ofMinutes(5),
                                TranscodeSettings.defaults(),
                                config.webhooks()));
    }

    @Test
    void transcodeAndWebhookSettingsHaveTheirDefaults() {
        Configuration c = required();
        c.setString("vidproc.webhook.enabled", "false");

        PipelineConfig config = PipelineConfig.from(c);

        assertThat(config.transcode())
                .isEqualTo(
                        new TranscodeSettings(
                                1,
                                64,
                                Duration.ofHours(2),
                                Duration.ofMinutes(30),
                                Duration.ofSeconds(10)));
        assertThat(config.webhooks().enabled()).isFalse();
        assertThat(config.webhooks().threads()).isEqualTo(4);
        assertThat(config.webhooks().capacity()).isEqualTo(256);
        assertThat(config.webhooks().settings()).isEqualTo(WebhookSettings.defaults());
    }

    @Test
    void readsTranscodeAndWebhookSettings() {
        Configuration c = required();
        c.setString("vidproc.transcode.workers", "3");
        c.setString("vidproc.transcode.capacity", "8");
        c.setString("vidproc.transcode.timeout", "10 min");
        c.setString("vidproc.transcode.deadline", "90 s");
        c.setString("vidproc.transcode.part-target", "5 s");
        c.setString("vidproc.webhook.enabled", "true");
        c.setString("vidproc.webhook.threads", "2");
        c.setString("vidproc.webhook.capacity", "16");
        c.setString("vidproc.webhook.allow", "127.0.0.1");
        c.setString("vidproc.webhook.max-attempts", "3");

        PipelineConfig config = PipelineConfig.from(c);

        assertThat(config.transcode())
                .isEqualTo(
                        new TranscodeSettings(
                                3,
                                8,
                                Duration.ofMinutes(10),
                                Duration.ofSeconds(90),
                                Duration.ofSeconds(5)));
        assertThat(config.transcode().partTargetUs()).isEqualTo(5_000_000);
        assertThat(config.webhooks().enabled()).isTrue();
        assertThat(config.webhooks().threads()).isEqualTo(2);
        assertThat(config.webhooks().capacity()).isEqualTo(16);
        assertThat(config.webhooks().settings().maxAttempts()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource({
        "vidproc.transcode.workers, 0",
        "vidproc.transcode.capacity, -1",
        "vidproc.transcode.part-target, 0 s",
        "vidproc.transcode.deadline, 0 ms",
        "vidproc.webhook.threads, 0"
    })
    void aBadTranscodeOrWebhookSettingNamesTheKey(String key, String value) {
        Configuration c = required();
        c.setString(key, value);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PipelineConfig.from(c))
                .withMessageContaining(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gs://bucket", "gs://bucket/prefix/deeper"})
    void acceptsAGcsBlobStore(String uri) {
        Configuration c = required();
        c.setString("vidproc.blob.uri", uri);

        assertThat(PipelineConfig.from(c).blobUri()).isEqualTo(uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gs:///no-bucket", "s3://bucket/prefix", "relative/folder"})
    void refusesOtherBlobStores(String uri) {
        Configuration c = required();
        c.setString("vidproc.blob.uri", uri);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PipelineConfig.from(c))
                .withMessageContaining("vidproc.blob.uri=" + uri)
                .withMessageContaining("gs://bucket/prefix");
    }

    @ParameterizedTest
    @CsvSource({"none, NONE", "AUTO, AUTO", "Cuda, CUDA"})
    void hwaccelIsReadWhateverItsCase(String value, HwAccel expected) {
        Configuration c = required();
        c.setString("vidproc.gpu.hwaccel", value);

        assertThat(PipelineConfig.from(c).gpu().hwaccel()).isEqualTo(expected);
    }

    @Test
    void aGpuShareBelowOneNeedsAsManySubtasksPerDevice() {
        Configuration c = required();
        c.setString("vidproc.gpu.per-subtask", "0.25");
        c.setString("vidproc.gpu.subtasks-per-device", "3");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PipelineConfig.from(c))
                .withMessageContaining("vidproc.gpu.subtasks-per-device=3")
                .withMessageContaining("at least 1 / vidproc.gpu.per-subtask = 4");

        c.setString("vidproc.gpu.subtasks-per-device", "4");
        assertThat(PipelineConfig.from(c).gpu().subtasksPerDevice()).isEqualTo(4);
    }

    @Test
    void stageSettingsCarryTheGpuSettings() {
        Configuration c = required();
        c.setString("vidproc.gpu.enabled", "true");
        c.setString("vidproc.gpu.hwaccel", "none");

        GpuSettings gpu = PipelineConfig.from(c).stageSettings().gpu();

        assertThat(gpu).isEqualTo(new GpuSettings(true, "gpu", 1.0, 1, HwAccel.NONE));
    }

    @ParameterizedTest
    @CsvSource({
        "vidproc.kafka.bootstrap-servers, VIDPROC_KAFKA_BOOTSTRAP_SERVERS",
        "vidproc.db.url, VIDPROC_DB_URL",
        "vidproc.blob.uri, VIDPROC_BLOB_URI"
    })
    void aMissingRequiredSettingNamesTheKeyAndItsEnvironmentVariable(String key, String env) {
        Configuration c = required();
        c.removeKey(key);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PipelineConfig.from(c))
                .withMessageContaining("missing setting " + key)
                .withMessageContaining(env);
    }

    @Test
    void aBlankRequiredSettingCountsAsMissing() {
        Configuration c = required();
        c.setString("vidproc.db.url", "  ");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PipelineConfig.from(c))
                .withMessageContaining("missing setting vidproc.db.url");
    }

    @Test
    void commandLineOverridesEnvironmentWhichOverridesTheFlinkConfiguration() {
        Configuration flink = required();
        flink.setString("vidproc.kafka.jobs-topic", "from-flink");
        flink.setString("vidproc.kafka.group-id", "from-flink");
        flink.setString("vidproc.plan.workers", "3");
        Map<String, String> env =
                Map.of(
                        "VIDPROC_KAFKA_JOBS_TOPIC",
                        "from-env",
                        "VIDPROC_KAFKA_GROUP_ID",
                        "from-env");
        String[] args = {"--vidproc.kafka.jobs-topic", "from-args"};

        PipelineConfig config = PipelineConfig.from(ConfigSources.merge(flink, env, args));

        assertThat(config.jobsTopic()).isEqualTo("from-args");
        assertThat(config.consumerGroup()).isEqualTo("from-env");
        assertThat(config.planWorkers()).isEqualTo(3);
    }

    @Test
    void mergeLeavesTheFlinkConfigurationUntouched() {
        Configuration flink = required();

        ConfigSources.merge(
                flink,
                Map.of("VIDPROC_DB_USER", "env"),
                new String[] {"--vidproc.db.password", "x"});

        assertThat(flink.toMap()).doesNotContainKeys("vidproc.db.user", "vidproc.db.password");
    }

    @Test
    void everySettingCanComeFromTheEnvironmentAlone() {
        Map<String, String> env = new HashMap<>();
        env.put("VIDPROC_KAFKA_BOOTSTRAP_SERVERS", "k:1");
        env.put("VIDPROC_DB_URL", "jdbc:postgresql://h/db");
        env.put("VIDPROC_DB_PASSWORD", "secret");
        env.put("VIDPROC_BLOB_URI", "file:///b");
        env.put("VIDPROC_INPUT_ALLOWED_ROOTS", "/a;/b");
        env.put("VIDPROC_DECODE_FFMPEG_THREADS", "4");
        env.put("VIDPROC_SEGMENT_TARGET", "2 s");

        PipelineConfig config =
                PipelineConfig.from(ConfigSources.merge(new Configuration(), env, NO_ARGS));

        assertThat(config.kafkaBootstrap()).isEqualTo("k:1");
        assertThat(config.db())
                .isEqualTo(new DbSettings("jdbc:postgresql://h/db", "vidproc", "secret"));
        assertThat(config.inputRoots()).containsExactly("/a", "/b");
        assertThat(config.decoderThreads()).isEqualTo(4);
        assertThat(config.segmentTarget()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void mapsEnvironmentNamesToKeys() {
        assertThat(ConfigSources.keyForEnv("VIDPROC_DECODE_FFMPEG_THREADS"))
                .isEqualTo("vidproc.decode.ffmpeg-threads");
        assertThat(ConfigSources.keyForEnv("VIDPROC_KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo("vidproc.kafka.bootstrap-servers");
        assertThat(ConfigSources.envName("vidproc.decode.ffmpeg-threads"))
                .isEqualTo("VIDPROC_DECODE_FFMPEG_THREADS");
        for (String key : PipelineConfig.knownKeys()) {
            assertThat(ConfigSources.keyForEnv(ConfigSources.envName(key))).isEqualTo(key);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "VIDPROC_UNKNOWN",
                "VIDPROC_DB_HOST",
                "VIDPROC_",
                "PATH",
                "HOME",
                "vidproc_db_url",
                "DB_URL"
            })
    void ignoresEnvironmentVariablesThatNameNoSetting(String name) {
        assertThat(ConfigSources.keyForEnv(name)).isNull();

        Configuration merged = ConfigSources.merge(required(), Map.of(name, "value"), NO_ARGS);

        assertThat(merged.toMap()).isEqualTo(required().toMap());
    }

    @Test
    void commandLineValuesOverrideWholeLists() {
        Configuration c = required();
        c.setString("vidproc.input.allowed-roots", "/a;/b");

        PipelineConfig config =
                PipelineConfig.from(
                        ConfigSources.merge(
                                c, Map.of(), new String[] {"--vidproc.input.allowed-roots", "/c"}));

        assertThat(config.inputRoots()).containsExactly("/c");
    }

    @Test
    void refusesArgumentsThatAreNotKeyValuePairs() {
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () ->
                                ConfigSources.merge(
                                        required(), Map.of(), new String[] {"vidproc.db.url", "x"}))
                .withMessageContaining("vidproc.db.url");
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () ->
                                ConfigSources.merge(
                                        required(), Map.of(), new String[] {"--vidproc.db.url"}))
                .withMessageContaining("missing value for --vidproc.db.url");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "vidproc.db.url|jdbc:mysql://db/vidproc",
                "vidproc.db.url|postgresql://db/vidproc",
                "vidproc.blob.uri|/data/blobs",
                "vidproc.blob.uri|file:///data/my blobs",
                "vidproc.blob.uri|file:data/blobs",
                "vidproc.blob.uri|file://host/data/blobs",
                "vidproc.input.allowed-roots|videos",
                "vidproc.input.allowed-roots|/videos;relative/path",
                "vidproc.plan.workers|0",
                "vidproc.decode.workers|0",
                "vidproc.decode.workers|-1",
                "vidproc.decode.capacity|0",
                "vidproc.decode.ffmpeg-threads|65",
                "vidproc.decode.jpeg-threads|0",
                "vidproc.decode.jpeg-threads|17",
                "vidproc.decode.ffmpeg-threads|-1",
                "vidproc.segment.target|0 s",
                "vidproc.decode.workers|two",
                "vidproc.segment.target|soon",
                "vidproc.gpu.enabled|maybe",
                "vidproc.gpu.resource-name|' '",
                "vidproc.gpu.per-subtask|0",
                "vidproc.gpu.per-subtask|-1",
                "vidproc.gpu.per-subtask|1.5",
                "vidproc.gpu.subtasks-per-device|0",
                "vidproc.gpu.hwaccel|opencl",
            })
    void refusesInvalidValuesNamingTheKey(String key, String value) {
        Configuration c = required();
        c.setString(key, value);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PipelineConfig.from(c))
                .withMessageContaining(key);
    }

    @Test
    void acceptsTheBoundaryValues() {
        Configuration c = required();
        c.setString("vidproc.decode.ffmpeg-threads", "64");
        c.setString("vidproc.decode.workers", "1");
        c.setString("vidproc.plan.workers", "1");
        c.setString("vidproc.decode.capacity", "1");

        PipelineConfig config = PipelineConfig.from(c);

        assertThat(config.decoderThreads()).isEqualTo(64);
        assertThat(config.decodeWorkers()).isEqualTo(1);
    }

    @Test
    void stageSettingsCarryTheValues() {
        Configuration c = required();
        c.setString("vidproc.db.password", "pw");
        c.setString("vidproc.input.allowed-roots", "/videos;/mnt");
        c.setString("vidproc.segment.target", "4 s");
        c.setString("vidproc.plan.workers", "3");
        c.setString("vidproc.decode.workers", "5");
        c.setString("vidproc.decode.ffmpeg-threads", "2");
        c.setString("vidproc.decode.jpeg-threads", "3");
        c.setString("vidproc.decode.deadline", "2 min");

        StageSettings stage = PipelineConfig.from(c).stageSettings();

        assertThat(stage.blobStoreUri()).isEqualTo("file:///data/blobs");
        assertThat(stage.db())
                .isEqualTo(new DbSettings("jdbc:postgresql://db:5432/vidproc", "vidproc", "pw"));
        assertThat(stage.allowedInputRoots()).containsExactly("/videos", "/mnt");
        assertThat(stage.allowedInputPaths()).containsExactly(Path.of("/videos"), Path.of("/mnt"));
        assertThat(stage.segmentTarget()).isEqualTo(Duration.ofSeconds(4));
        assertThat(stage.planWorkers()).isEqualTo(3);
        assertThat(stage.decodeWorkers()).isEqualTo(5);
        assertThat(stage.decoderThreads()).isEqualTo(2);
        assertThat(stage.encodeThreads()).isEqualTo(3);
        assertThat(stage.decodeDeadline()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void dbSettingsHideThePasswordWhenPrinted() {
        DbSettings db = new DbSettings("jdbc:postgresql://db/vidproc", "vidproc", "hunter2");

        assertThat(db.toString())
                .doesNotContain("hunter2")
                .contains("***")
                .contains("jdbc:postgresql://db/vidproc");
        assertThat(PipelineConfig.from(withPassword("hunter2")).toString())
                .doesNotContain("hunter2");
        assertThat(PipelineConfig.from(withPassword("hunter2")).stageSettings().toString())
                .doesNotContain("hunter2");
    }

    private static Configuration withPassword(String password) {
        Configuration c = required();
        c.setString("vidproc.db.password", password);
        return c;
    }

    private static Configuration required() {
        Configuration c = new Configuration();
        c.setString("vidproc.kafka.bootstrap-servers", "kafka:9092");
        c.setString("vidproc.db.url", "jdbc:postgresql://db:5432/vidproc");
        c.setString("vidproc.blob.uri", "file:///data/blobs");
        return c;
    }
}
