package dev.vidprocme.io.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.spec.Json;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code dead_letters} table: work given up on, for operators to list and replay. The pipeline
 * writes rows with {@link #upsert}; the API reads them and marks them replayed.
 */
public final class DeadLetterRepository {
    private static final String COLUMNS =
            "id, job_id, stage, unit, attempts, error_class, message, at, request::text AS"
                    + " request, replayed_job_id, replayed_at";

    private final DataSource dataSource;

    public DeadLetterRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores a dead letter unless one with its id is already there: the id is derived from (job,
     * stage, unit), so a write replayed after a restore changes nothing, and a replay mark already
     * set survives. Runs in the caller's transaction: neither commits nor closes {@code c}.
     */
    public static void upsert(Connection c, DeadLetter d) throws SQLException {
        String request;
        try {
            request = Json.mapper().writeValueAsString(d.request());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO dead_letters (id, job_id, stage, unit, attempts, error_class,"
                                + " message, at, request) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
                                + " ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, d.id());
            ps.setString(2, d.jobId());
            ps.setString(3, d.stage());
            ps.setInt(4, d.unit());
            ps.setInt(5, d.attempts());
            ps.setString(6, d.errorClass());
            ps.setString(7, d.message());
            ps.setTimestamp(8, Timestamp.from(Instant.ofEpochMilli(d.atMs())));
            ps.setString(9, request);
            ps.executeUpdate();
        }
    }

    /**
     * The newest dead letters first.
     *
     * @param jobId only this job's, or all when null
     */
    public List<DeadLetterRow> list(String jobId, int limit) throws SQLException {
        String sql =
                "SELECT "
                        + COLUMNS
                        + " FROM dead_letters"
                        + (jobId == null ? "" : " WHERE job_id = ?")
                        + " ORDER BY at DESC, id LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (jobId != null) {
                ps.setString(i++, jobId);
            }
            ps.setInt(i, limit);
            List<DeadLetterRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }
    }

    public Optional<DeadLetterRow> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT " + COLUMNS + " FROM dead_letters WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Marks the dead letter replayed as {@code newJobId}, only if it has not been replayed yet.
     *
     * @return whether this call set the mark
     */
    public boolean markReplayed(String id, String newJobId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return markReplayed(c, id, newJobId);
        }
    }

    /** As {@link #markReplayed(String, String)}, in the caller's transaction. */
    public static boolean markReplayed(Connection c, String id, String newJobId)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE dead_letters SET replayed_job_id = ?, replayed_at = now() WHERE id"
                                + " = ? AND replayed_job_id IS NULL")) {
            ps.setString(1, newJobId);
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * The claim a replay takes in the transaction that records its new job: the conditional mark,
     * so of two concurrent replays of one dead letter only one creates a job.
     */
    public static JobClaim replayClaim(String deadLetterId) {
        return new JobClaim() {
            @Override
            public boolean take(Connection c, String jobId) throws SQLException {
                return markReplayed(c, deadLetterId, jobId);
            }

            @Override
            public void release(Connection c, String jobId) throws SQLException {
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE dead_letters SET replayed_job_id = NULL, replayed_at ="
                                        + " NULL WHERE id = ? AND replayed_job_id = ?")) {
                    ps.setString(1, deadLetterId);
                    ps.setString(2, jobId);
                    ps.executeUpdate();
                }
            }
        };
    }

    private static DeadLetterRow read(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        JobRequest request;
        try {
            request = Json.mapper().readValue(rs.getString("request"), JobRequest.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(
                    "dead letter " + id + " holds an unreadable request: " + e.getOriginalMessage(),
                    e);
        }
        Timestamp replayedAt = rs.getTimestamp("replayed_at");
        return new DeadLetterRow(
                new DeadLetter(
                        id,
                        rs.getString("job_id"),
                        rs.getString("stage"),
                        rs.getInt("unit"),
                        rs.getInt("attempts"),
                        rs.getString("error_class"),
                        rs.getString("message"),
                        rs.getTimestamp("at").toInstant().toEpochMilli(),
                        request),
                rs.getString("replayed_job_id"),
                replayedAt == null ? null : replayedAt.toInstant());
    }
}
