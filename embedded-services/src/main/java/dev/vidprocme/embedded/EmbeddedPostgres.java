package dev.vidprocme.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server run as a child process of this JVM, listening on 127.0.0.1 only, for
 * tests and the local launcher; the binaries come from Maven Central, so no Docker or system
 * install.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String MAINTENANCE_DATABASE = "postgres";
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private final PostgresCluster cluster;
    private final int port;
    private final String database;
    private final Thread shutdownHook =
            new Thread(this::shutdownQuietly, "embedded-postgres-shutdown");
    private Postmaster postmaster;
    private boolean closed;

    private EmbeddedPostgres(PostgresCluster cluster, int port, String database) {
        this.cluster = cluster;
        this.port = port;
        this.database = database;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Chooses where and how an {@link EmbeddedPostgres} runs, then starts it. */
    public static final class Builder {
        private Path dataDirectory;
        private int port;
        private String database = "vidproc";

        private Builder() {}

        /**
         * Keeps the cluster in this directory, reusing one already there; its password is kept in
         * {@code <dataDirectory>.password} and its log in {@code <dataDirectory>.log}. Without it,
         * a temporary cluster is created and deleted on {@link EmbeddedPostgres#close()}.
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /**
         * The TCP port on 127.0.0.1; 0, the default, picks a free one that then stays fixed across
         * restarts.
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The database {@link EmbeddedPostgres#jdbcUrl()} points at, created if missing; "vidproc"
         * by default.
         */
        public Builder database(String database) {
            this.database = database;
            return this;
        }

        /** Initialises the cluster if needed and returns once the server accepts connections. */
        public EmbeddedPostgres start() {
            return call(
                    "Starting PostgreSQL",
                    () -> {
                        int chosenPort = port == 0 ? freePort() : port;
                        EmbeddedPostgres postgres =
                                new EmbeddedPostgres(
                                        PostgresCluster.open(dataDirectory), chosenPort, database);
                        postgres.startFirstTime();
                        return postgres;
                    });
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return PostgresCluster.SUPERUSER;
    }

    public String password() {
        return cluster.password();
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return cluster.dataDirectory();
    }

    /**
     * Shuts the server down fast (open connections are cut), keeping the data; a no-op when already
     * stopped.
     */
    public synchronized void stop() {
        perform("Stopping PostgreSQL", this::stopServer);
    }

    /**
     * Stops the server if it runs, then starts it again on the same port and data, e.g. after
     * {@link #stop()}.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is closed");
        }
        perform(
                "Restarting PostgreSQL",
                () -> {
                    stopServer();
                    startServer();
                });
    }

    /** Stops the server and deletes a temporary cluster; calling it again does nothing. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is already running and does the same work.
        }
        shutdown();
    }

    private void startFirstTime() throws IOException, InterruptedException, SQLException {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            startServer();
            createDatabaseIfMissing();
        } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
            try {
                close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void startServer() throws IOException, InterruptedException {
        postmaster = Postmaster.start(cluster, port, () -> connect(MAINTENANCE_DATABASE));
    }

    private void stopServer() throws IOException, InterruptedException {
        if (postmaster != null) {
            postmaster.stop();
            postmaster = null;
        }
    }

    private synchronized void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        perform(
                "Closing PostgreSQL",
                () -> {
                    stopServer();
                    cluster.deleteIfTemporary();
                });
    }

    private void shutdownQuietly() {
        try {
            shutdown();
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not shut down PostgreSQL in {} at JVM exit", cluster.dataDirectory(), e);
        }
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection connection = connect(MAINTENANCE_DATABASE);
                PreparedStatement exists =
                        connection.prepareStatement(
                                "SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
            LOG.info("Created database {}", database);
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password());
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** A lifecycle step that may fail in any of the ways starting or stopping a server does. */
    @FunctionalInterface
    private interface Step {
        void run() throws IOException, InterruptedException, SQLException;
    }

    /** A {@link Step} that produces a result. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException, InterruptedException, SQLException;
    }

    private static void perform(String what, Step step) {
        call(
                what,
                () -> {
                    step.run();
                    return null;
                });
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " failed: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }
}
