package dev.vidprocme.io.db;

import dev.vidprocme.records.JobUpdate;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the tracker's job updates to PostgreSQL as they come, so users see progress without
 * waiting for a checkpoint. Each update is guarded by its sequence number, which makes the replays
 * that follow a restore harmless: at-least-once delivery, exactly-once effect. A dead letter riding
 * on an update is stored in the same transaction, keyed by its deterministic id.
 *
 * <p>A database that goes away is retried with jittered exponential backoff up to {@code
 * maxOutage}; one that stays away longer fails the task, and Flink restores and replays rather than
 * dropping a status.
 */
public final class JobUpdateSink implements Sink<JobUpdate> {
    private final DbSettings db;
    private final Duration initialBackoff;
    private final Duration maxOutage;

    public JobUpdateSink(DbSettings db) {
        this(db, Duration.ofMillis(200), Duration.ofMinutes(2));
    }

    public JobUpdateSink(DbSettings db, Duration initialBackoff, Duration maxOutage) {
        this.db = db;
        this.initialBackoff = initialBackoff;
        this.maxOutage = maxOutage;
    }

    @Override
    public SinkWriter<JobUpdate> createWriter(WriterInitContext context) {
        return new Writer(db, initialBackoff, maxOutage);
    }

    /** One connection per subtask, reopened when it breaks. */
    static final class Writer implements SinkWriter<JobUpdate> {
        private static final Logger LOG = LoggerFactory.getLogger(JobUpdateSink.class);
        private static final int LOGIN_TIMEOUT_SECONDS = 5;
        private static final long MAX_BACKOFF_MS = 10_000;

        private final DbSettings db;
        private final Duration initialBackoff;
        private final Duration maxOutage;
        private Connection connection;

        Writer(DbSettings db, Duration initialBackoff, Duration maxOutage) {
            this.db = db;
            this.initialBackoff = initialBackoff;
            this.maxOutage = maxOutage;
        }

        @Override
        public void write(JobUpdate update, Context context)
                throws IOException, InterruptedException {
            long giveUpAt = System.nanoTime() + maxOutage.toNanos();
            long backoffMs = initialBackoff.toMillis();
            for (int attempt = 1; ; attempt++) {
                try {
                    store(connection(), update);
                    return;
                } catch (SQLException e) {
                    closeQuietly();
                    if (System.nanoTime() > giveUpAt) {
                        throw new IOException(
                                "cannot store the status of job "
                                        + update.jobId()
                                        + " for "
                                        + maxOutage
                                        + "; failing over",
                                e);
                    }
                    long wait =
                            Math.round(
                                    backoffMs
                                            * (0.7
                                                    + 0.3
                                                            * ThreadLocalRandom.current()
                                                                    .nextDouble()));
                    LOG.warn(
                            "job {}: status write attempt {} failed ({}); retrying in {} ms",
                            update.jobId(),
                            attempt,
                            e.getMessage(),
                            wait);
                    // Waiting here is the point: the writer must not run ahead of the database.
                    Thread.sleep(wait);
                    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
                }
            }
        }

        private static void store(Connection c, JobUpdate update) throws SQLException {
            if (update.deadLetter() == null && update.scenes().isEmpty()) {
                JobRepository.apply(c, update);
                return;
            }
            c.setAutoCommit(false);
            try {
                if (update.deadLetter() != null) {
                    DeadLetterRepository.upsert(c, update.deadLetter());
                }
                if (JobRepository.apply(c, update) && !update.scenes().isEmpty()) {
                    SceneRepository.replace(c, update.jobId(), update.scenes());
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }

        private Connection connection() throws SQLException {
            if (connection == null || connection.isClosed()) {
                DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
                connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                connection.setAutoCommit(true);
            }
            return connection;
        }

        @Override
        public void flush(boolean endOfInput) {
            // Every write is committed as it happens; nothing is buffered.
        }

        @Override
        public void close() {
            closeQuietly();
        }

        private void closeQuietly() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The connection is being thrown away either way.
                }
                connection = null;
            }
        }
    }
}
