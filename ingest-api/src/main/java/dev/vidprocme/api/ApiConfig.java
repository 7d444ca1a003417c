package dev.vidprocme.api;

import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.notify.AllowList;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Everything the ingest API needs to run, validated on construction so a bad setting fails at
 * start-up with a message naming it rather than on the first request.
 *
 * @param bindHost address to listen on (default {@code 127.0.0.1}: nothing outside the machine by
 *     accident)
 * @param port TCP port, 0 for an ephemeral one
 * @param apiToken the bearer token every {@code /v1} request must carry
 * @param blobStoreUri where uploads and frames live ({@code file:///...})
 * @param db how to reach PostgreSQL
 * @param kafkaBootstrap Kafka bootstrap servers ({@code host:port[,host:port]})
 * @param jobsTopic the topic job requests go to (default {@code vidproc.jobs})
 * @param allowedInputRoots folders {@code file://} submissions may read from; empty disables them
 * @param maxUploadBytes largest accepted upload (default 2 GiB)
 * @param publicBaseUrl prefix for absolute URLs in responses, or null to derive it from the bound
 *     address
 * @param frameUrlKey HMAC key for signed frame URLs, or null to derive it from {@code apiToken}
 * @param frameUrlTtl how long a signed frame URL stays valid (default 1 h)
 * @param enqueueTimeout how long a submission waits for Kafka's acknowledgement (default 10 s)
 * @param workerThreads request-handling threads; each upload holds one while it streams (default
 *     16)
 * @param outputUrlTtl how long an output URL in the outputs listing stays valid (default 1 h, at
 *     most 7 days: the longest a GCS V4 signature may live)
 * @param webhookAllow internal callback hosts and ranges that submissions may name anyway
 */
public record ApiConfig(
        String bindHost,
        int port,
        String apiToken,
        String blobStoreUri,
        DbSettings db,
        String kafkaBootstrap,
        String jobsTopic,
        List<Path> allowedInputRoots,
        long maxUploadBytes,
        String publicBaseUrl,
        byte[] frameUrlKey,
        Duration frameUrlTtl,
        Duration enqueueTimeout,
        int workerThreads,
        Duration outputUrlTtl,
        AllowList webhookAllow) {

    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final String DEFAULT_JOBS_TOPIC = "vidproc.jobs";
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L * 1024 * 1024 * 1024;
    public static final Duration DEFAULT_FRAME_URL_TTL = Duration.ofHours(1);
    public static final Duration DEFAULT_ENQUEUE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_WORKER_THREADS = 16;
    public static final Duration DEFAULT_OUTPUT_URL_TTL = Duration.ofHours(1);

    private static final int MIN_KEY_BYTES = 16;
    // Kafka's own rule for topic names.
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    // A fixed label, so the derived key is stable across restarts yet differs from the token
    // itself.
    private static final byte[] KEY_LABEL =
            "vidprocme ingest-api frame-url signing key v1".getBytes(StandardCharsets.US_ASCII);

    public ApiConfig {
        bindHost = bindHost == null || bindHost.isBlank() ? DEFAULT_BIND_HOST : bindHost.strip();
        if (port < 0 || port > 65535) {
            throw invalid("port", "must be 0..65535 (0 = ephemeral), got " + port);
        }
        if (apiToken == null || apiToken.isBlank()) {
            throw invalid("apiToken", "is required (VIDPROC_API_TOKEN)");
        }
        if (!apiToken.equals(apiToken.strip())
                || apiToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw invalid(
                    "apiToken",
                    "must be printable ASCII without spaces, as it travels in a header");
        }
        blobStoreUri = requireUri("blobStoreUri", blobStoreUri);
        if (db == null || db.jdbcUrl() == null || !db.jdbcUrl().startsWith("jdbc:postgresql:")) {
            throw invalid("db", "needs a jdbc:postgresql: URL (VIDPROC_DB_URL)");
        }
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw invalid("kafkaBootstrap", "is required (host:port[,host:port])");
        }
        kafkaBootstrap = kafkaBootstrap.strip();
        jobsTopic =
                jobsTopic == null || jobsTopic.isBlank() ? DEFAULT_JOBS_TOPIC : jobsTopic.strip();
        if (!TOPIC.matcher(jobsTopic).matches()) {
            throw invalid("jobsTopic", "is not a valid Kafka topic name: " + jobsTopic);
        }
        allowedInputRoots = allowedInputRoots == null ? List.of() : List.copyOf(allowedInputRoots);
        for (Path root : allowedInputRoots) {
            if (!root.isAbsolute()) {
                throw invalid("allowedInputRoots", "must hold absolute paths, got " + root);
            }
        }
        if (maxUploadBytes == 0) {
            maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        }
        if (maxUploadBytes < 0) {
            throw invalid("maxUploadBytes", "must be positive, got " + maxUploadBytes);
        }
        publicBaseUrl =
                publicBaseUrl == null || publicBaseUrl.isBlank()
                        ? null
                        : checkBaseUrl(publicBaseUrl);
        if (frameUrlKey == null) {
            frameUrlKey = deriveKey(apiToken);
        } else if (frameUrlKey.length < MIN_KEY_BYTES) {
            throw invalid("frameUrlKey", "must be at least " + MIN_KEY_BYTES + " bytes");
        } else {
            frameUrlKey = frameUrlKey.clone();
        }
        frameUrlTtl = frameUrlTtl == null ? DEFAULT_FRAME_URL_TTL : frameUrlTtl;
        if (frameUrlTtl.toSeconds() < 1 || frameUrlTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw invalid("frameUrlTtl", "must be between 1 s and 7 days, got " + frameUrlTtl);
        }
        enqueueTimeout = enqueueTimeout == null ? DEFAULT_ENQUEUE_TIMEOUT : enqueueTimeout;
        if (enqueueTimeout.toMillis() < 1000
                || enqueueTimeout.compareTo(Duration.ofMinutes(2)) > 0) {
            throw invalid("enqueueTimeout", "must be between 1 s and 2 min, got " + enqueueTimeout);
        }
        workerThreads = workerThreads == 0 ? DEFAULT_WORKER_THREADS : workerThreads;
        if (workerThreads < 1 || workerThreads > 512) {
            throw invalid("workerThreads", "must be 1..512, got " + workerThreads);
        }
        outputUrlTtl = outputUrlTtl == null ? DEFAULT_OUTPUT_URL_TTL : outputUrlTtl;
        if (outputUrlTtl.toSeconds() < 1 || outputUrlTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw invalid("outputUrlTtl", "must be between 1 s and 7 days, got " + outputUrlTtl);
        }
        webhookAllow = webhookAllow == null ? AllowList.NONE : webhookAllow;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy, so callers cannot change the key a running server signs with. */
    @Override
    public byte[] frameUrlKey() {
        return frameUrlKey.clone();
    }

    /** Secrets are masked: configurations end up in logs. */
    @Override
    public String toString() {
        return "ApiConfig[bindHost="
                + bindHost
                + ", port="
                + port
                + ", apiToken=***, blobStoreUri="
                + blobStoreUri
                + ", db="
                + db
                + ", kafkaBootstrap="
                + kafkaBootstrap
                + ", jobsTopic="
                + jobsTopic
                + ", allowedInputRoots="
                + allowedInputRoots
                + ", maxUploadBytes="
                + maxUploadBytes
                + ", publicBaseUrl="
                + publicBaseUrl
                + ", frameUrlKey=***, frameUrlTtl="
                + frameUrlTtl
                + ", enqueueTimeout="
                + enqueueTimeout
                + ", workerThreads="
                + workerThreads
                + ", outputUrlTtl="
                + outputUrlTtl
                + ", webhookAllow="
                + webhookAllow
                + "]";
    }

    /** HMAC-SHA256(token, label): stable for a token, so signed URLs survive a restart. */
    static byte[] deriveKey(String apiToken) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(KEY_LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String requireUri(String name, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(name, "is required");
        }
        try {
            URI uri = new URI(value.strip());
            if (uri.getScheme() == null) {
                throw invalid(
                        name, "needs a scheme, e.g. file:///var/lib/vidproc/blobs, got " + value);
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw invalid(name, "is not a valid URI: " + e.getMessage());
        }
    }

    private static String checkBaseUrl(String value) {
        String trimmed = value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https"))
                    || uri.getHost() == null
                    || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw invalid(
                        "publicBaseUrl",
                        "must be an http(s) URL without query or fragment, got " + value);
            }
            return trimmed;
        } catch (URISyntaxException e) {
            throw invalid("publicBaseUrl", "is not a valid URL: " + e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String setting, String message) {
        return new IllegalArgumentException("ApiConfig." + setting + " " + message);
    }

    /** Fills in an {@link ApiConfig} by name; unset values take the record's defaults. */
    public static final class Builder {
        private String bindHost;
        private int port;
        private String apiToken;
        private String blobStoreUri;
        private DbSettings db;
        private String kafkaBootstrap;
        private String jobsTopic;
        private List<Path> allowedInputRoots = List.of();
        private long maxUploadBytes;
        private String publicBaseUrl;
        private byte[] frameUrlKey;
        private Duration frameUrlTtl;
        private Duration enqueueTimeout;
        private int workerThreads;
        private Duration outputUrlTtl;
        private AllowList webhookAllow;

        private Builder() {}

        public Builder outputUrlTtl(Duration v) {
            outputUrlTtl = v;
            return this;
        }

        public Builder webhookAllow(AllowList v) {
            webhookAllow = v;
            return this;
        }

        public Builder bindHost(String v) {
            bindHost = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder apiToken(String v) {
            apiToken = v;
            return this;
        }

        public Builder blobStoreUri(String v) {
            blobStoreUri = v;
            return this;
        }

        public Builder db(DbSettings v) {
            db = v;
            return this;
        }

        public Builder kafkaBootstrap(String v) {
            kafkaBootstrap = v;
            return this;
        }

        public Builder jobsTopic(String v) {
            jobsTopic = v;
            return this;
        }

        public Builder allowedInputRoots(List<Path> v) {
            allowedInputRoots = v;
            return this;
        }

        public Builder maxUploadBytes(long v) {
            maxUploadBytes = v;
            return this;
        }

        public Builder publicBaseUrl(String v) {
            publicBaseUrl = v;
            return this;
        }

        public Builder frameUrlKey(byte[] v) {
            frameUrlKey = v;
            return this;
        }

        public Builder frameUrlTtl(Duration v) {
            frameUrlTtl = v;
            return this;
        }

        public Builder enqueueTimeout(Duration v) {
            enqueueTimeout = v;
            return this;
        }

        public Builder workerThreads(int v) {
            workerThreads = v;
            return this;
        }

        public ApiConfig build() {
            return new ApiConfig(
                    bindHost,
                    port,
                    apiToken,
                    blobStoreUri,
                    db,
                    kafkaBootstrap,
                    jobsTopic,
                    allowedInputRoots,
                    maxUploadBytes,
                    publicBaseUrl,
                    frameUrlKey,
                    frameUrlTtl,
                    enqueueTimeout,
                    workerThreads,
                    outputUrlTtl,
                    webhookAllow);
        }
    }
}
