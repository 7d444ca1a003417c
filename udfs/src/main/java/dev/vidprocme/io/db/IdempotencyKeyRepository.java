package dev.vidprocme.io.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code idempotency_keys} table: which job a client's {@code Idempotency-Key} produced, and a
 * hash of the request it came with. Keys are honoured for {@link #RETENTION}; an older key is
 * treated as unused and taken over by the next request that sends it.
 */
public final class IdempotencyKeyRepository {
    /** How long a key keeps pointing at its job. */
    public static final Duration RETENTION = Duration.ofHours(24);

    private static final String FRESH =
            "created_at >= now() - make_interval(secs => " + RETENTION.toSeconds() + ")";

    /** A key in use. */
    public record StoredKey(String key, String requestHash, String jobId, Instant createdAt) {}

    private final DataSource dataSource;

    public IdempotencyKeyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The claim a submission with {@code key} takes in the transaction that records its job. A key
     * another transaction is inserting makes {@code take} wait for that transaction, so concurrent
     * requests with one key yield one job; the others then {@link #find} the winner.
     */
    public static JobClaim claim(String key, String requestHash) {
        return new JobClaim() {
            @Override
            public boolean take(Connection c, String jobId) throws SQLException {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO idempotency_keys AS k (key, request_hash, job_id)"
                                        + " VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                                        + " request_hash = EXCLUDED.request_hash, job_id ="
                                        + " EXCLUDED.job_id, created_at = now() WHERE NOT (k."
                                        + FRESH
                                        + ")")) {
                    ps.setString(1, key);
                    ps.setString(2, requestHash);
                    ps.setString(3, jobId);
                    return ps.executeUpdate() == 1;
                }
            }

            @Override
            public void release(Connection c, String jobId) throws SQLException {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "DELETE FROM idempotency_keys WHERE key = ? AND job_id = ?")) {
                    ps.setString(1, key);
                    ps.setString(2, jobId);
                    ps.executeUpdate();
                }
            }
        };
    }

    /** The key, unless it is unknown or older than {@link #RETENTION}. */
    public Optional<StoredKey> find(String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT key, request_hash, job_id, created_at FROM"
                                        + " idempotency_keys WHERE key = ? AND "
                                        + FRESH)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new StoredKey(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getTimestamp(4).toInstant()));
            }
        }
    }
}
