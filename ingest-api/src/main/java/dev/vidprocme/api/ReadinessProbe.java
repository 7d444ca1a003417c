package dev.vidprocme.api;

import dev.vidprocme.io.db.Database;
import java.time.Duration;
import java.util.Collection;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * Asks Kafka (describeCluster) and PostgreSQL (a pooled ping) whether they answer, both within
 * {@link #TIMEOUT}. One AdminClient is kept for the process, and at most one database ping runs at
 * a time, so frequent probes against a hanging database do not pile up threads.
 */
final class ReadinessProbe implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** Per dependency: null when it answered, else what went wrong. */
    record Result(String kafkaProblem, String postgresProblem) {
        boolean ready() {
            return kafkaProblem == null && postgresProblem == null;
        }
    }

    private final Admin admin;
    private final Database database;
    private final ExecutorService pinger;
    private CompletableFuture<Boolean> ping;

    ReadinessProbe(String kafkaBootstrap, Database database) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vidprocme-ingest-api-readiness");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
        this.admin = Admin.create(p);
        this.database = database;
        this.pinger =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "ingest-api-db-ping");
                            t.setDaemon(true);
                            return t;
                        });
    }

    Result check() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(200);
        // Both start before either is awaited, so the probe takes about TIMEOUT at worst, not twice
        // that.
        Future<Collection<Node>> nodes =
                admin.describeCluster(
                                new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                        .nodes();
        CompletableFuture<Boolean> dbPing = ping();
        String kafkaProblem;
        try {
            kafkaProblem =
                    nodes.get(remaining(deadline), TimeUnit.NANOSECONDS).isEmpty()
                            ? "no brokers"
                            : null;
        } catch (ExecutionException e) {
            kafkaProblem = describe(e.getCause());
        } catch (TimeoutException e) {
            kafkaProblem = "no answer within " + TIMEOUT.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafkaProblem = "interrupted";
        }
        String postgresProblem;
        try {
            postgresProblem =
                    dbPing.get(remaining(deadline), TimeUnit.NANOSECONDS) ? null : "ping failed";
        } catch (ExecutionException e) {
            postgresProblem = describe(e.getCause());
        } catch (TimeoutException e) {
            postgresProblem = "no answer within " + TIMEOUT.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postgresProblem = "interrupted";
        }
        return new Result(kafkaProblem, postgresProblem);
    }

    private synchronized CompletableFuture<Boolean> ping() {
        if (ping == null || ping.isDone()) {
            ping = CompletableFuture.supplyAsync(() -> database.ping(TIMEOUT), pinger);
        }
        return ping;
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static String describe(Throwable t) {
        if (t instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        if (t == null) {
            return "failed";
        }
        String text =
                t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
        pinger.shutdownNow();
    }
}
