package dev.vidprocme.bench;

import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.local.ApiClient;
import dev.vidprocme.local.LocalOptions;
import dev.vidprocme.local.LocalStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The stack a benchmark drives over HTTP: one started in this process as {@code ./vidproc local}
 * starts it, or one already running elsewhere ({@code --api URL --token T}).
 */
final class StackUnderTest implements AutoCloseable {
    private final LocalStack local;
    private final ApiClient client;

    private StackUnderTest(LocalStack local, ApiClient client) {
        this.local = local;
        this.client = client;
    }

    /**
     * The stack the options name: {@code --api} and {@code --token}, else a local one in {@code
     * dataDir} at {@code --parallelism} (default: the local default for this machine's cores).
     */
    static StackUnderTest open(Map<String, String> options, Path dataDir) throws Exception {
        if (options.containsKey("api") != options.containsKey("token")) {
            throw new IllegalArgumentException("--api and --token go together");
        }
        if (options.containsKey("api")) {
            return new StackUnderTest(
                    null, new ApiClient(options.get("api"), options.get("token")));
        }
        return local(dataDir, Bench.intOption(options, "parallelism", defaultParallelism()));
    }

    /** A fresh local stack with its own data dir and ephemeral API and web UI ports. */
    static StackUnderTest local(Path dataDir, int parallelism) throws Exception {
        LocalOptions local =
                new LocalOptions(
                        dataDir, 0, 0, LocalOptions.DEFAULT_METRICS_PORT, List.of(), parallelism);
        System.out.printf("starting a local stack (Flink parallelism %d) ...%n", parallelism);
        LocalStack stack = LocalStack.start(local);
        return new StackUnderTest(stack, new ApiClient(stack.apiUrl(), stack.apiToken()));
    }

    /** What {@code ./vidproc local} uses on this machine. */
    static int defaultParallelism() {
        return LocalOptions.defaults(Path.of(".")).parallelism();
    }

    ApiClient client() {
        return client;
    }

    /** Whether the stack runs in this process, so this process's CPU time includes it. */
    boolean inProcess() {
        return local != null;
    }

    /** The in-process stack's database, to read what the API does not show; null for --api. */
    DbSettings db() {
        return local == null ? null : local.db();
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
