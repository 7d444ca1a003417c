package dev.vidprocme.api;

import java.io.IOException;

/**
 * Runs the ingest API on its own, configured from {@code VIDPROC_*} environment variables (see
 * {@link EnvConfig}).
 */
public final class IngestApiMain {
    private IngestApiMain() {}

    public static void main(String[] args) throws IOException {
        ApiConfig config;
        try {
            config = EnvConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            // A configuration mistake is the operator's to fix; a stack trace would only hide the
            // message.
            System.err.println("ingest-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        IngestApi api = IngestApi.start(config);
        // The HTTP server's dispatcher thread keeps the JVM alive; SIGTERM runs this hook.
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "ingest-api-shutdown"));
    }
}
