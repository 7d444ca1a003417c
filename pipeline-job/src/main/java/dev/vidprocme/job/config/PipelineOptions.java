package dev.vidprocme.job.config;

import dev.vidprocme.media.HwAccel;
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
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "How long planning one job may take from admission, retries included,"
                                    + " before it is dead-lettered.");

    public static final ConfigOption<Integer> PLAN_CAPACITY =
            ConfigOptions.key("vidproc.plan.capacity")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Jobs admitted per plan subtask, planned in priority order (the rest"
                                    + " wait in Kafka).");

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
                    .defaultValue(256)
                    .withDescription(
                            "Segments admitted per decode subtask: they wait in priority order in"
                                    + " the operator's checkpointed queue; beyond it, work waits"
                                    + " upstream in arrival order.");

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

    public static final ConfigOption<Duration> DECODE_TIMEOUT =
            ConfigOptions.key("vidproc.decode.timeout")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How long one segment may take from admission, waiting and retries"
                                    + " included, before it is dead-lettered (a backstop; the"
                                    + " deadline bounds each attempt).");

    public static final ConfigOption<String> DLQ_TOPIC =
            ConfigOptions.key("vidproc.kafka.dlq-topic")
                    .stringType()
                    .defaultValue("vidproc.dlq")
                    .withDescription(
                            "Topic dead letters are published to (transactionally, exactly once).");

    public static final ConfigOption<String> EVENTS_TOPIC =
            ConfigOptions.key("vidproc.kafka.events-topic")
                    .stringType()
                    .defaultValue("vidproc.job-events")
                    .withDescription(
                            "Topic every job state change is published to (transactionally,"
                                    + " exactly once; eventId = jobId:seq).");

    public static final ConfigOption<Duration> QUEUE_AGING =
            ConfigOptions.key("vidproc.queue.aging")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Waiting this long raises a unit's effective priority by one, so low"
                                    + " priorities cannot starve; 0 s means strict priority.");

    public static final ConfigOption<Integer> RETRY_MAX_ATTEMPTS =
            ConfigOptions.key("vidproc.retry.max-attempts")
                    .intType()
                    .defaultValue(6)
                    .withDescription(
                            "Attempts per unit of work, the first included, before it is"
                                    + " dead-lettered.");

    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF =
            ConfigOptions.key("vidproc.retry.initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("Wait before the first retry; it doubles per failure.");

    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF =
            ConfigOptions.key("vidproc.retry.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("Longest wait between two attempts.");

    public static final ConfigOption<Double> RETRY_MULTIPLIER =
            ConfigOptions.key("vidproc.retry.multiplier")
                    .doubleType()
                    .defaultValue(2.0)
                    .withDescription("Growth of the wait per failure.");

    public static final ConfigOption<Double> RETRY_JITTER =
            ConfigOptions.key("vidproc.retry.jitter")
                    .doubleType()
                    .defaultValue(0.3)
                    .withDescription(
                            "Random share of each wait (0..1), so units that failed together do"
                                    + " not retry together.");

    public static final ConfigOption<Duration> RETRY_MAX_TOTAL =
            ConfigOptions.key("vidproc.retry.max-total")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription("No retry starts later than this after the first attempt.");

    public static final ConfigOption<Boolean> GPU_ENABLED =
            ConfigOptions.key("vidproc.gpu.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Run decode in the GPU-tagged slot sharing group: its slots request the"
                                    + " GPU external resource and each subtask leases one GPU of"
                                    + " its TaskManager. Needs TaskManagers that advertise GPUs"
                                    + " (external-resources in config.yaml).");

    public static final ConfigOption<String> GPU_RESOURCE_NAME =
            ConfigOptions.key("vidproc.gpu.resource-name")
                    .stringType()
                    .defaultValue("gpu")
                    .withDescription(
                            "Name of the Flink external resource that stands for GPUs, as listed"
                                    + " in the cluster's external-resources.");

    public static final ConfigOption<Double> GPU_PER_SUBTASK =
            ConfigOptions.key("vidproc.gpu.per-subtask")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "Amount of the GPU resource one GPU-tagged slot requests (0 < x <= 1);"
                                    + " below 1, raise vidproc.gpu.subtasks-per-device to match.");

    public static final ConfigOption<Integer> GPU_SUBTASKS_PER_DEVICE =
            ConfigOptions.key("vidproc.gpu.subtasks-per-device")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "How many decode subtasks of one TaskManager may share one GPU.");

    public static final ConfigOption<HwAccel> GPU_HWACCEL =
            ConfigOptions.key("vidproc.gpu.hwaccel")
                    .enumType(HwAccel.class)
                    .defaultValue(HwAccel.AUTO)
                    .withDescription(
                            "FFmpeg hardware decoding: auto (on the leased GPU when FFmpeg can,"
                                    + " else on the CPU, saying why once in the log), cuda (refuse"
                                    + " to start without a CUDA device) or none (always the"
                                    + " CPU).");

    public static final ConfigOption<Integer> ANALYSIS_WORKERS =
            ConfigOptions.key("vidproc.analysis.workers")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Threads per analyse subtask that read text and measure analysis"
                                    + " frames; OCR is CPU-bound, so one per core is plenty.");

    public static final ConfigOption<Integer> ANALYSIS_CAPACITY =
            ConfigOptions.key("vidproc.analysis.capacity")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Segments an analyse (or caption) subtask admits into its queue.");

    public static final ConfigOption<Duration> ANALYSIS_TIMEOUT =
            ConfigOptions.key("vidproc.analysis.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "How long one segment may take in the analyse or caption stage,"
                                    + " waiting and retries included, before it is dead-lettered.");

    public static final ConfigOption<Integer> OCR_THREADS =
            ConfigOptions.key("vidproc.ocr.threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription("ONNX Runtime threads per OCR model run.");

    public static final ConfigOption<Integer> OCR_MAX_SIDE =
            ConfigOptions.key("vidproc.ocr.max-side")
                    .intType()
                    .defaultValue(960)
                    .withDescription(
                            "Longest side, in pixels, a frame is scaled down to before text"
                                    + " detection; smaller is faster and misses small text.");

    public static final ConfigOption<String> CAPTION_PRICES =
            ConfigOptions.key("vidproc.caption.prices")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Price table for cost caps: model=inputUsd/outputUsd per million"
                                    + " tokens, comma-separated (gpt-4o-mini=0.15/0.60).");

    public static final ConfigOption<String> CAPTION_OPENAI_BASE_URL =
            ConfigOptions.key("vidproc.caption.openai.base-url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server) up to and"
                                    + " including /v1; overrides VIDPROC_OPENAI_BASE_URL. The key"
                                    + " is read from VIDPROC_OPENAI_API_KEY where the calls run.");

    public static final ConfigOption<String> CAPTION_OLLAMA_BASE_URL =
            ConfigOptions.key("vidproc.caption.ollama.base-url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Ollama server root; overrides VIDPROC_OLLAMA_BASE_URL.");

    public static final ConfigOption<Integer> TRANSCODE_WORKERS =
            ConfigOptions.key("vidproc.transcode.workers")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Transcoding units (parts, joins, thumbnails) run at once per"
                                    + " transcode subtask; each FFmpeg encoder uses several"
                                    + " cores.");

    public static final ConfigOption<Integer> TRANSCODE_CAPACITY =
            ConfigOptions.key("vidproc.transcode.capacity")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "Transcoding units admitted per subtask, run in priority order from"
                                    + " the operator's checkpointed queue.");

    public static final ConfigOption<Duration> TRANSCODE_TIMEOUT =
            ConfigOptions.key("vidproc.transcode.timeout")
                    .durationType()
                    .defaultValue(Duration.ofHours(2))
                    .withDescription(
                            "Backstop: how long one transcoding unit may take from admission,"
                                    + " waiting and retries included, before it is"
                                    + " dead-lettered.");

    public static final ConfigOption<Duration> TRANSCODE_DEADLINE =
            ConfigOptions.key("vidproc.transcode.deadline")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "How long one attempt at a transcoding unit may run before it fails.");

    public static final ConfigOption<Duration> TRANSCODE_PART_TARGET =
            ConfigOptions.key("vidproc.transcode.part-target")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Length of the parts a rendition is encoded in, in parallel; cut at a"
                                    + " keyframe when one is near.");

    public static final ConfigOption<Boolean> WEBHOOK_ENABLED =
            ConfigOptions.key("vidproc.webhook.enabled")
                    .booleanType()
                    .noDefaultValue()
                    .withDescription(
                            "POST every job state change to the job's callbackUrl, signed with"
                                    + " VIDPROC_WEBHOOK_SECRET (which the task managers must have)."
                                    + " Unset: on when VIDPROC_WEBHOOK_SECRET is set here.");

    public static final ConfigOption<Integer> WEBHOOK_THREADS =
            ConfigOptions.key("vidproc.webhook.threads")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Concurrent webhook deliveries per subtask.");

    public static final ConfigOption<Integer> WEBHOOK_CAPACITY =
            ConfigOptions.key("vidproc.webhook.capacity")
                    .intType()
                    .defaultValue(256)
                    .withDescription(
                            "Job updates admitted per webhook subtask while earlier ones are"
                                    + " delivered or retried.");
}
