package dev.vidprocme.job.config;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every setting of the pipeline job. The same key works in {@code flink-conf/config.yaml}, on the
 * command line ({@code --vidproc.db.url ...}) and in the environment ({@code VIDPROC_DB_URL}); see
 * {@link ConfigSources}.
 */
public final class PipelineOptions {
    private PipelineOptions() {}

    public static final ConfigOption<String> KAFKA_BOOTSTRAP =
            ConfigOptions.key("vidproc.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka bootstrap servers (host:port,...). Required.");

    public static final ConfigOption<String> JOBS_TOPIC =
            ConfigOptions.key("vidproc.kafka.jobs-topic")
                    .stringType()
                    .defaultValue("vidproc.jobs")
                    .withDescription("Topic the ingest API writes job requests to.");

    public static final ConfigOption<String> CONSUMER_GROUP =
            ConfigOptions.key("vidproc.kafka.group-id")
                    .stringType()
                    .defaultValue("vidproc-pipeline")
                    .withDescription(
                            "Consumer group of the pipeline (offsets are also kept in"
                                    + " checkpoints).");

    public static final ConfigOption<String> DB_URL =
            ConfigOptions.key("vidproc.db.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "JDBC URL of PostgreSQL, e.g. jdbc:postgresql://host:5432/vidproc."
                                    + " Required.");

    public static final ConfigOption<String> DB_USER =
            ConfigOptions.key("vidproc.db.user")
                    .stringType()
                    .defaultValue("vidproc")
                    .withDescription("PostgreSQL user.");

    public static final ConfigOption<String> DB_PASSWORD =
            ConfigOptions.key("vidproc.db.password")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "PostgreSQL password. Give it through the environment"
                                + " (VIDPROC_DB_PASSWORD) or a secret store, never in a committed"
                                + " file.");

    public static final ConfigOption<String> BLOB_URI =
            ConfigOptions.key("vidproc.blob.uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Blob store for uploads and frames: file:///absolute/folder."
                                    + " Required.");

    public static final ConfigOption<List<String>> INPUT_ROOTS =
            ConfigOptions.key("vidproc.input.allowed-roots")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Folders file:// inputs may be read from (separated by ';'). Empty:"
                                    + " file:// is refused.");

    public static final ConfigOption<Duration> SEGMENT_TARGET =
            ConfigOptions.key("vidproc.segment.target")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Target segment length; segments start at keyframes so they may be"
                                    + " longer.");

    public static final ConfigOption<Integer> PLAN_WORKERS =
            ConfigOptions.key("vidproc.plan.workers")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Threads per plan subtask that probe inputs.");

    public static final ConfigOption<Duration> PLAN_TIMEOUT =
            ConfigOptions.key("vidproc.plan.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription("How long probing one input may take before the job fails.");

    public static final ConfigOption<Integer> DECODE_WORKERS =
            ConfigOptions.key("vidproc.decode.workers")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Segments decoded at once per decode subtask.");

    public static final ConfigOption<Integer> DECODER_THREADS =
            ConfigOptions.key("vidproc.decode.ffmpeg-threads")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "FFmpeg decoder threads per segment; 0 lets FFmpeg pick from the core"
                                    + " count.");

    public static final ConfigOption<Integer> ENCODE_THREADS =
            ConfigOptions.key("vidproc.decode.jpeg-threads")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "Threads per decoding segment that rotate, scale and JPEG-encode frames"
                                    + " while the decoder goes on.");

    public static final ConfigOption<Integer> DECODE_CAPACITY =
            ConfigOptions.key("vidproc.decode.capacity")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "Segments admitted per decode subtask (they wait in priority order; the"
                                    + " rest wait in Kafka).");

    public static final ConfigOption<Duration> DECODE_DEADLINE =
            ConfigOptions.key("vidproc.decode.deadline")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "How long one segment may decode once started before it fails.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("vidproc.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Interval of exactly-once checkpoints.");
}
