package dev.vidprocme.local;

import java.nio.file.Path;
import java.util.List;

/**
 * How to run the stack on one machine.
 *
 * @param dataDir where PostgreSQL's cluster, the blob store, checkpoints, logs and the API token
 *     live
 * @param apiPort the ingest API's port (0 = any free port)
 * @param flinkUiPort the Flink web UI's port (0 = any free port)
 * @param metricsPort first port tried for Flink's Prometheus endpoint
 * @param inputRoots folders {@code file://} submissions may read from
 * @param parallelism the Flink job's parallelism
 */
public record LocalOptions(
        Path dataDir,
        int apiPort,
        int flinkUiPort,
        int metricsPort,
        List<Path> inputRoots,
        int parallelism) {

    public static final int DEFAULT_API_PORT = 8080;
    public static final int DEFAULT_FLINK_UI_PORT = 8081;
    public static final int DEFAULT_METRICS_PORT = 9249;

    public static LocalOptions defaults(Path dataDir) {
        return new LocalOptions(
                dataDir,
                DEFAULT_API_PORT,
                DEFAULT_FLINK_UI_PORT,
                DEFAULT_METRICS_PORT,
                List.of(),
                Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    public LocalOptions withPorts(int api, int flinkUi, int metrics) {
        return new LocalOptions(dataDir, api, flinkUi, metrics, inputRoots, parallelism);
    }

    public LocalOptions withInputRoots(List<Path> roots) {
        return new LocalOptions(dataDir, apiPort, flinkUiPort, metricsPort, roots, parallelism);
    }
}
