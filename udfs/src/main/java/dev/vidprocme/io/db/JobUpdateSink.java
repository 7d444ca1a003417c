package dev.vidprocme.io.db;

import dev.vidprocme.records.JobUpdate;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the tracker's job updates to PostgreSQL as they come, so users see progress without
 * waiting for a checkpoint. Each update is guarded by its sequence number, which makes the replays
 * that follow a restore harmless: at-least-once delivery, exactly-once effect. A database that
 * stays away fails the task, and Flink restores and replays rather than dropping a status.
 */
public final class JobUpdateSink implements Sink<JobUpdate> {
    private final DbSettings db;

    public JobUpdateSink(DbSettings db) {
        this.db = db;
    }

    @Override
    public SinkWriter<JobUpdate> createWriter(WriterInitContext context) {
        return new Writer(db);
    }

    /** One connection per subtask, reopened when it breaks. */
    static final class Writer implements SinkWriter<JobUpdate> {
        private static final Logger LOG = LoggerFactory.getLogger(JobUpdateSink.class);
        private static final int ATTEMPTS = 3;

        private final DbSettings db;
        private Connection connection;

        Writer(DbSettings db) {
            this.db = db;
        }

        @Override
        public void write(JobUpdate update, Context context) throws IOException {
            SQLException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    JobRepository.apply(connection(), update);
                    return;
                } catch (SQLException e) {
                    last = e;
                    LOG.warn(
                            "job {}: status write attempt {} failed: {}",
                            update.jobId(),
                            attempt,
                            e.getMessage());
                    closeQuietly();
                }
            }
            throw new IOException("cannot store the status of job " + update.jobId(), last);
        }

        private Connection connection() throws SQLException {
            if (connection == null || connection.isClosed()) {
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
