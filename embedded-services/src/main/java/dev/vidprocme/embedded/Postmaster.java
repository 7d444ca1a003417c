package dev.vidprocme.embedded;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One postgres server process: started only once it accepts connections, stopped with a fast
 * shutdown.
 */
final class Postmaster {
    private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_BYTES = 4096;

    /** Opens a connection to the server; throwing means it is not ready yet. */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final PostgresCluster cluster;
    private final Process process;

    private Postmaster(PostgresCluster cluster, Process process) {
        this.cluster = cluster;
        this.process = process;
    }

    static Postmaster start(PostgresCluster cluster, int port, Connector connector)
            throws IOException, InterruptedException {
        Process process =
                cluster.account()
                        .processBuilder(cluster.serverCommand(port))
                        .redirectOutput(Redirect.appendTo(cluster.logFile().toFile()))
                        .start();
        Postmaster postmaster = new Postmaster(cluster, process);
        try {
            Await.until(
                    STARTUP_TIMEOUT,
                    "PostgreSQL accepting connections on port " + port,
                    () -> postmaster.accepts(connector));
        } catch (InterruptedException e) {
            postmaster.stop();
            throw e;
        } catch (Exception e) {
            postmaster.stop();
            throw new IllegalStateException(
                    e.getMessage()
                            + "; "
                            + cluster.logFile()
                            + " ends with:\n"
                            + postmaster.logTail(),
                    e);
        }
        LOG.info("PostgreSQL (pid {}) accepts connections on 127.0.0.1:{}", process.pid(), port);
        return postmaster;
    }

    private boolean accepts(Connector connector) {
        if (!process.isAlive()) {
            throw new IllegalStateException("PostgreSQL exited with code " + process.exitValue());
        }
        try (Connection ignored = connector.connect()) {
            return true;
        } catch (SQLException notYet) {
            return false;
        }
    }

    void stop() throws IOException, InterruptedException {
        if (process.isAlive()) {
            // SIGINT is PostgreSQL's fast shutdown; Process.destroy() sends SIGTERM, which waits
            // for every client to leave.
            try {
                cluster.pgCtl("kill", "INT", Long.toString(process.pid()));
            } catch (IOException e) {
                if (process.isAlive()) {
                    throw e;
                }
            }
        }
        if (!process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn(
                    "PostgreSQL (pid {}) ignored a fast shutdown for {} s; killing it",
                    process.pid(),
                    SHUTDOWN_TIMEOUT.toSeconds());
            process.destroyForcibly().waitFor();
        }
    }

    private String logTail() {
        Path log = cluster.logFile();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
            byte[] tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
