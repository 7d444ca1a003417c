package dev.vidprocme.api;

import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.notify.AllowList;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link ApiConfig} from {@code VIDPROC_*} environment variables, for running the API
 * alone.
 */
public final class EnvConfig {
    public static final String API_TOKEN = "VIDPROC_API_TOKEN";
    public static final String DB_URL = "VIDPROC_DB_URL";
    public static final String DB_USER = "VIDPROC_DB_USER";
    public static final String DB_PASSWORD = "VIDPROC_DB_PASSWORD";
    public static final String KAFKA_BOOTSTRAP = "VIDPROC_KAFKA_BOOTSTRAP";
    public static final String BLOB_URI = "VIDPROC_BLOB_URI";
    public static final String INPUT_ROOTS = "VIDPROC_INPUT_ROOTS";
    public static final String API_PORT = "VIDPROC_API_PORT";
    public static final String MAX_UPLOAD_BYTES = "VIDPROC_MAX_UPLOAD_BYTES";
    public static final String API_BIND_HOST = "VIDPROC_API_BIND_HOST";
    public static final String API_PUBLIC_URL = "VIDPROC_API_PUBLIC_URL";
    public static final String JOBS_TOPIC = "VIDPROC_JOBS_TOPIC";
    public static final String OUTPUT_URL_TTL = "VIDPROC_OUTPUT_URL_TTL";
    public static final String WEBHOOK_ALLOW = "VIDPROC_WEBHOOK_ALLOW";

    /** A standalone server wants a predictable port; embedders use 0. */
    public static final int DEFAULT_PORT = 8080;

    private EnvConfig() {}

    /**
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static ApiConfig fromEnv(Map<String, String> env) {
        String dbUrl = required(env, DB_URL);
        return ApiConfig.builder()
                .apiToken(required(env, API_TOKEN))
                .db(new DbSettings(dbUrl, get(env, DB_USER), get(env, DB_PASSWORD)))
                .kafkaBootstrap(required(env, KAFKA_BOOTSTRAP))
                .blobStoreUri(required(env, BLOB_URI))
                .allowedInputRoots(roots(get(env, INPUT_ROOTS)))
                .port((int) number(env, API_PORT, DEFAULT_PORT))
                .maxUploadBytes(number(env, MAX_UPLOAD_BYTES, ApiConfig.DEFAULT_MAX_UPLOAD_BYTES))
                .bindHost(get(env, API_BIND_HOST))
                .publicBaseUrl(get(env, API_PUBLIC_URL))
                .jobsTopic(get(env, JOBS_TOPIC))
                .outputUrlTtl(seconds(env, OUTPUT_URL_TTL))
                .webhookAllow(AllowList.parse(get(env, WEBHOOK_ALLOW)))
                .build();
    }

    private static String get(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String required(Map<String, String> env, String name) {
        String value = get(env, name);
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value;
    }

    private static long number(Map<String, String> env, String name, long defaultValue) {
        String value = get(env, name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > (name.equals(API_PORT) ? 65535 : Long.MAX_VALUE)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name
                            + " must be a non-negative integer"
                            + (name.equals(API_PORT) ? " up to 65535" : "")
                            + ", got '"
                            + value
                            + "'");
        }
    }

    /** A whole number of seconds, or null when unset. */
    private static Duration seconds(Map<String, String> env, String name) {
        String value = get(env, name);
        if (value == null) {
            return null;
        }
        long n = number(env, name, 0);
        if (n == 0) {
            throw new IllegalArgumentException(name + " must be a positive number of seconds");
        }
        return Duration.ofSeconds(n);
    }

    private static List<Path> roots(String value) {
        List<Path> roots = new ArrayList<>();
        if (value == null) {
            return roots;
        }
        for (String part : value.split(File.pathSeparator)) {
            if (part.isBlank()) {
                continue;
            }
            Path root = Path.of(part.strip());
            if (!root.isAbsolute()) {
                throw new IllegalArgumentException(
                        INPUT_ROOTS + " must list absolute paths, got '" + part + "'");
            }
            roots.add(root);
        }
        return roots;
    }
}
