package dev.vidprocme.job.config;

import static dev.vidprocme.job.config.PipelineOptions.*;

import dev.vidprocme.analysis.OcrSettings;
import dev.vidprocme.analysis.caption.CaptionSettings;
import dev.vidprocme.functions.AnalysisSettings;
import dev.vidprocme.functions.GpuSettings;
import dev.vidprocme.functions.RetryPolicy;
import dev.vidprocme.functions.StageSettings;
import dev.vidprocme.functions.TranscodeSettings;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.notify.WebhookSettings;
import dev.vidprocme.notify.WebhookSigner;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The pipeline's settings, read once from a Flink {@link Configuration} and checked, with messages
 * that name the key, the value and what would be accepted.
 */
public record PipelineConfig(
        String kafkaBootstrap,
        String jobsTopic,
        String consumerGroup,
        DbSettings db,
        String blobUri,
        List<String> inputRoots,
        Duration segmentTarget,
        int planWorkers,
        Duration planTimeout,
        int decodeWorkers,
        int decoderThreads,
        int encodeThreads,
        int decodeCapacity,
        Duration decodeDeadline,
        Duration checkpointInterval,
        int planCapacity,
        Duration decodeTimeout,
        String dlqTopic,
        Duration queueAging,
        RetryPolicy retry,
        GpuSettings gpu,
        String eventsTopic,
        AnalysisSettings analysis,
        int analysisCapacity,
        Duration analysisTimeout,
        TranscodeSettings transcode,
        Webhooks webhooks) {

    /**
     * Whether job updates go to callback URLs, and how.
     *
     * @param threads concurrent deliveries per subtask
     * @param capacity updates admitted per subtask
     */
    public record Webhooks(boolean enabled, WebhookSettings settings, int threads, int capacity) {}

    public static PipelineConfig from(Configuration c) {
        PipelineConfig config =
                new PipelineConfig(
                        required(c, KAFKA_BOOTSTRAP),
                        c.get(JOBS_TOPIC),
                        c.get(CONSUMER_GROUP),
                        new DbSettings(required(c, DB_URL), c.get(DB_USER), c.get(DB_PASSWORD)),
                        required(c, BLOB_URI),
                        c.getOptional(INPUT_ROOTS).orElse(List.of()),
                        c.get(SEGMENT_TARGET),
                        c.get(PLAN_WORKERS),
                        c.get(PLAN_TIMEOUT),
                        c.get(DECODE_WORKERS),
                        c.get(DECODER_THREADS),
                        c.get(ENCODE_THREADS),
                        c.get(DECODE_CAPACITY),
                        c.get(DECODE_DEADLINE),
                        c.get(CHECKPOINT_INTERVAL),
                        c.get(PLAN_CAPACITY),
                        c.get(DECODE_TIMEOUT),
                        c.get(DLQ_TOPIC),
                        c.get(QUEUE_AGING),
                        retryPolicy(c),
                        gpuSettings(c),
                        c.get(EVENTS_TOPIC),
                        analysisSettings(c),
                        c.get(ANALYSIS_CAPACITY),
                        c.get(ANALYSIS_TIMEOUT),
                        transcodeSettings(c),
                        webhooks(c));
        config.validate();
        return config;
    }

    private static RetryPolicy retryPolicy(Configuration c) {
        try {
            return new RetryPolicy(
                    c.get(RETRY_MAX_ATTEMPTS),
                    c.get(RETRY_INITIAL_BACKOFF),
                    c.get(RETRY_MAX_BACKOFF),
                    c.get(RETRY_MULTIPLIER),
                    c.get(RETRY_JITTER),
                    c.get(RETRY_MAX_TOTAL));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid vidproc.retry.* settings: " + e.getMessage(), e);
        }
    }

    /**
     * Analysers' settings; the vision-LLM endpoints' addresses and key variable names come from the
     * environment ({@code VIDPROC_OPENAI_BASE_URL}, ...), the keys themselves are read only where
     * the calls are made.
     */
    private static AnalysisSettings analysisSettings(Configuration c) {
        int workers = c.get(ANALYSIS_WORKERS);
        positive(ANALYSIS_WORKERS, workers);
        OcrSettings ocr;
        try {
            ocr =
                    OcrSettings.defaults()
                            .withIntraOpThreads(c.get(OCR_THREADS))
                            .withMaxSideLen(c.get(OCR_MAX_SIDE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid vidproc.ocr.* settings: " + e.getMessage(), e);
        }
        CaptionSettings captions = CaptionSettings.fromEnvironment(System.getenv());
        for (var endpoint :
                Map.of(
                                CaptionSettings.OPENAI, CAPTION_OPENAI_BASE_URL,
                                CaptionSettings.OLLAMA, CAPTION_OLLAMA_BASE_URL)
                        .entrySet()) {
            String url = c.getOptional(endpoint.getValue()).orElse("");
            if (!url.isBlank()) {
                try {
                    captions =
                            captions.withEndpoint(
                                    endpoint.getKey(),
                                    captions.endpoint(endpoint.getKey()).withBaseUrl(url));
                } catch (IllegalArgumentException e) {
                    throw invalid(endpoint.getValue(), url, "an http:// or https:// URL");
                }
            }
        }
        String prices = c.get(CAPTION_PRICES);
        if (!prices.isBlank()) {
            try {
                captions = captions.withPrices(CaptionSettings.parsePrices(prices));
            } catch (IllegalArgumentException e) {
                throw invalid(
                        CAPTION_PRICES,
                        prices,
                        "model=inputUsd/outputUsd,... (" + e.getMessage() + ")");
            }
        }
        return new AnalysisSettings(workers, ocr, captions);
    }

    private static TranscodeSettings transcodeSettings(Configuration c) {
        positive(TRANSCODE_WORKERS, c.get(TRANSCODE_WORKERS));
        positive(TRANSCODE_CAPACITY, c.get(TRANSCODE_CAPACITY));
        for (ConfigOption<Duration> option :
                List.of(TRANSCODE_TIMEOUT, TRANSCODE_DEADLINE, TRANSCODE_PART_TARGET)) {
            Duration value = c.get(option);
            if (value.isNegative() || value.isZero()) {
                throw invalid(option, value, "a positive duration");
            }
        }
        return new TranscodeSettings(
                c.get(TRANSCODE_WORKERS),
                c.get(TRANSCODE_CAPACITY),
                c.get(TRANSCODE_TIMEOUT),
                c.get(TRANSCODE_DEADLINE),
                c.get(TRANSCODE_PART_TARGET));
    }

    private static Webhooks webhooks(Configuration c) {
        positive(WEBHOOK_THREADS, c.get(WEBHOOK_THREADS));
        positive(WEBHOOK_CAPACITY, c.get(WEBHOOK_CAPACITY));
        String secret = System.getenv(WebhookSigner.SECRET_ENV);
        boolean enabled =
                c.getOptional(WEBHOOK_ENABLED).orElse(secret != null && !secret.isBlank());
        WebhookSettings settings;
        try {
            settings = WebhookSettings.fromConfig(c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid vidproc.webhook.* settings: " + e.getMessage(), e);
        }
        return new Webhooks(enabled, settings, c.get(WEBHOOK_THREADS), c.get(WEBHOOK_CAPACITY));
    }

    private static GpuSettings gpuSettings(Configuration c) {
        String name = c.get(GPU_RESOURCE_NAME);
        if (name.isBlank()) {
            throw invalid(GPU_RESOURCE_NAME, name, "the name of a Flink external resource");
        }
        double perSubtask = c.get(GPU_PER_SUBTASK);
        if (!(perSubtask > 0 && perSubtask <= 1)) {
            throw invalid(GPU_PER_SUBTASK, perSubtask, "a share of one GPU, 0 < x <= 1");
        }
        int perDevice = c.get(GPU_SUBTASKS_PER_DEVICE);
        positive(GPU_SUBTASKS_PER_DEVICE, perDevice);
        if (perSubtask * perDevice < 1) {
            // Otherwise a TaskManager can hold more GPU-tagged slots than GPU leases.
            throw invalid(
                    GPU_SUBTASKS_PER_DEVICE,
                    perDevice,
                    "at least 1 / "
                            + GPU_PER_SUBTASK.key()
                            + " = "
                            + (int) Math.ceil(1 / perSubtask));
        }
        return new GpuSettings(c.get(GPU_ENABLED), name, perSubtask, perDevice, c.get(GPU_HWACCEL));
    }

    private void validate() {
        if (!db.jdbcUrl().startsWith("jdbc:postgresql:")) {
            throw invalid(DB_URL, db.jdbcUrl(), "a jdbc:postgresql: URL");
        }
        if (!isAbsoluteFileUri(blobUri) && !isGcsUri(blobUri)) {
            throw invalid(BLOB_URI, blobUri, "a file:///absolute/folder or gs://bucket/prefix URI");
        }
        for (String root : inputRoots) {
            if (!root.startsWith("/")) {
                throw invalid(INPUT_ROOTS, root, "absolute folder paths");
            }
        }
        positive(PLAN_WORKERS, planWorkers);
        positive(DECODE_WORKERS, decodeWorkers);
        positive(DECODE_CAPACITY, decodeCapacity);
        positive(PLAN_CAPACITY, planCapacity);
        positive(ANALYSIS_CAPACITY, analysisCapacity);
        if (queueAging.isNegative()) {
            throw invalid(QUEUE_AGING, queueAging, "a duration of 0 s (off) or more");
        }
        if (dlqTopic.isBlank()) {
            throw invalid(DLQ_TOPIC, dlqTopic, "a topic name");
        }
        if (eventsTopic.isBlank()) {
            throw invalid(EVENTS_TOPIC, eventsTopic, "a topic name");
        }
        if (decoderThreads < 0 || decoderThreads > 64) {
            throw invalid(DECODER_THREADS, decoderThreads, "0 (automatic) to 64");
        }
        if (encodeThreads < 1 || encodeThreads > 16) {
            throw invalid(ENCODE_THREADS, encodeThreads, "1 to 16");
        }
        if (segmentTarget.isNegative() || segmentTarget.isZero()) {
            throw invalid(SEGMENT_TARGET, segmentTarget, "a positive duration such as 10 s");
        }
    }

    /**
     * {@code file:///path}: what {@link dev.vidprocme.io.blob.BlobStores#open} can turn into a
     * folder.
     */
    private static boolean isAbsoluteFileUri(String uri) {
        try {
            URI parsed = new URI(uri);
            return "file".equals(parsed.getScheme())
                    && parsed.getAuthority() == null
                    && parsed.getPath() != null
                    && parsed.getPath().startsWith("/");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** {@code gs://bucket[/prefix]}: the GCS store of {@link dev.vidprocme.io.blob.BlobStores}. */
    private static boolean isGcsUri(String uri) {
        try {
            URI parsed = new URI(uri);
            return "gs".equals(parsed.getScheme())
                    && parsed.getHost() != null
                    && !parsed.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** What the operators need, in the serialisable form they are shipped in. */
    public StageSettings stageSettings() {
        return new StageSettings(
                blobUri,
                db,
                inputRoots,
                segmentTarget,
                planWorkers,
                decodeWorkers,
                decoderThreads,
                encodeThreads,
                decodeDeadline,
                retry,
                queueAging,
                gpu);
    }

    /** Keys of every option, for mapping environment variables. */
    static List<String> knownKeys() {
        return Stream.of(
                        KAFKA_BOOTSTRAP,
                        JOBS_TOPIC,
                        CONSUMER_GROUP,
                        DB_URL,
                        DB_USER,
                        DB_PASSWORD,
                        BLOB_URI,
                        INPUT_ROOTS,
                        SEGMENT_TARGET,
                        PLAN_WORKERS,
                        PLAN_TIMEOUT,
                        DECODE_WORKERS,
                        DECODER_THREADS,
                        ENCODE_THREADS,
                        DECODE_CAPACITY,
                        DECODE_DEADLINE,
                        ANALYSIS_WORKERS,
                        ANALYSIS_CAPACITY,
                        ANALYSIS_TIMEOUT,
                        OCR_THREADS,
                        OCR_MAX_SIDE,
                        CAPTION_PRICES,
                        CAPTION_OPENAI_BASE_URL,
                        CAPTION_OLLAMA_BASE_URL,
                        CHECKPOINT_INTERVAL,
                        PLAN_CAPACITY,
                        DECODE_TIMEOUT,
                        DLQ_TOPIC,
                        EVENTS_TOPIC,
                        QUEUE_AGING,
                        RETRY_MAX_ATTEMPTS,
                        RETRY_INITIAL_BACKOFF,
                        RETRY_MAX_BACKOFF,
                        RETRY_MULTIPLIER,
                        RETRY_JITTER,
                        RETRY_MAX_TOTAL,
                        GPU_ENABLED,
                        GPU_RESOURCE_NAME,
                        GPU_PER_SUBTASK,
                        GPU_SUBTASKS_PER_DEVICE,
                        GPU_HWACCEL,
                        TRANSCODE_WORKERS,
                        TRANSCODE_CAPACITY,
                        TRANSCODE_TIMEOUT,
                        TRANSCODE_DEADLINE,
                        TRANSCODE_PART_TARGET,
                        WEBHOOK_ENABLED,
                        WEBHOOK_THREADS,
                        WEBHOOK_CAPACITY,
                        WebhookSettings.ALLOW,
                        WebhookSettings.MAX_ATTEMPTS,
                        WebhookSettings.INITIAL_BACKOFF,
                        WebhookSettings.MAX_BACKOFF,
                        WebhookSettings.GIVE_UP_AFTER,
                        WebhookSettings.REQUEST_TIMEOUT)
                .map(ConfigOption::key)
                .toList();
    }

    private static String required(Configuration c, ConfigOption<String> option) {
        return c.getOptional(option)
                .filter(v -> !v.isBlank())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "missing setting "
                                                + option.key()
                                                + " (environment "
                                                + ConfigSources.envName(option.key())
                                                + "): "
                                                + option.description()));
    }

    private static void positive(ConfigOption<Integer> option, int value) {
        if (value < 1) {
            throw invalid(option, value, "a whole number of at least 1");
        }
    }

    private static IllegalArgumentException invalid(
            ConfigOption<?> option, Object value, String accepted) {
        return new IllegalArgumentException(
                "invalid setting " + option.key() + "=" + value + ": expected " + accepted);
    }
}
