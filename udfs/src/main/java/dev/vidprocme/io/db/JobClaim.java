package dev.vidprocme.io.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Something a new job must win in the transaction that records it, such as an idempotency key or a
 * dead letter to replay. Taking it in that transaction is what lets two concurrent requests for the
 * same thing produce one job: the loser's job row is rolled back with its failed claim.
 */
public interface JobClaim {
    /** For jobs that claim nothing. */
    JobClaim NONE =
            new JobClaim() {
                @Override
                public boolean take(Connection c, String jobId) {
                    return true;
                }

                @Override
                public void release(Connection c, String jobId) {}
            };

    /**
     * Runs after the job's rows are written, inside their transaction; must neither commit nor
     * close {@code c}.
     *
     * @return false when another job holds the claim; the new job is then not recorded
     */
    boolean take(Connection c, String jobId) throws SQLException;

    /**
     * Gives the claim up again, only if {@code jobId} still holds it, after the job could not be
     * handed to the pipeline, so that a retry can take it.
     */
    void release(Connection c, String jobId) throws SQLException;
}
