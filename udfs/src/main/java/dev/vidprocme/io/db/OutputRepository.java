package dev.vidprocme.io.db;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads and writes the {@code outputs} table: the objects a job produced besides frames. */
public final class OutputRepository {
    private static final String COLUMNS =
            "job_id, name, kind, content_type, bytes, blob_key, rendition, created_at";
    private final DataSource dataSource;

    public OutputRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts or replaces rows on their (job, name) key in the caller's transaction, so a replayed
     * transcode leaves one row per object and its bookkeeping commits with the caller's. {@code
     * created_at} keeps the first write's time.
     */
    public static void upsert(Connection c, List<OutputRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO outputs (job_id, name, kind, content_type, bytes, blob_key,"
                                + " rendition) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id,"
                                + " name) DO UPDATE SET kind = EXCLUDED.kind, content_type ="
                                + " EXCLUDED.content_type, bytes = EXCLUDED.bytes, blob_key ="
                                + " EXCLUDED.blob_key, rendition = EXCLUDED.rendition")) {
            for (OutputRow r : rows) {
                ps.setString(1, r.jobId());
                ps.setString(2, r.name());
                ps.setString(3, r.kind().wireName());
                ps.setString(4, r.contentType());
                ps.setLong(5, r.bytes());
                ps.setString(6, r.blobKey());
                ps.setString(7, r.rendition());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Stores a finished output of transcoding unit {@code unit} in one transaction: locks the job
     * row against a concurrent cancel (as {@link FrameRepository#storeSegment} does), upserts
     * {@code rows} and marks the unit done. {@code beforeCommit} runs inside the transaction, after
     * the lock (the HLS master playlist is rewritten there, under {@link #lockHlsMaster}).
     *
     * @return false, with nothing written, when the job was cancelled or has ended
     */
    public boolean storeFinished(
            String jobId, int unit, List<OutputRow> rows, InTransaction beforeCommit)
            throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!WorkUnits.lockActive(c, jobId)) {
                    c.rollback();
                    return false;
                }
                List<OutputRow> all = new ArrayList<>(rows);
                all.addAll(beforeCommit.run(c));
                upsert(c, all);
                WorkUnits.finish(c, jobId, WorkUnits.TRANSCODE, unit, "done", null);
                c.commit();
                return true;
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Serialises the writers of one job's HLS master playlist until the caller's transaction ends,
     * so two renditions finishing at once cannot lose each other's entry.
     */
    public static void lockHlsMaster(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "hls-master/" + jobId);
            ps.executeQuery().close();
        }
    }

    /** Work done inside {@link #storeFinished}'s transaction; returns more rows to store. */
    @FunctionalInterface
    public interface InTransaction {
        List<OutputRow> run(Connection c) throws SQLException, IOException;
    }

    /** Convenience for callers without a transaction of their own: one transaction of its own. */
    public void upsert(List<OutputRow> rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                upsert(c, rows);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** A job's outputs ordered by name. */
    public List<OutputRow> list(String jobId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM outputs WHERE job_id = ? ORDER BY name")) {
            ps.setString(1, jobId);
            List<OutputRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }
    }

    /** The output called {@code name}, if the job has one. */
    public Optional<OutputRow> find(String jobId, String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM outputs WHERE job_id = ? AND name = ?")) {
            ps.setString(1, jobId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static OutputRow read(ResultSet rs) throws SQLException {
        return new OutputRow(
                rs.getString(1),
                rs.getString(2),
                OutputKind.fromWire(rs.getString(3)),
                rs.getString(4),
                rs.getLong(5),
                rs.getString(6),
                rs.getString(7),
                rs.getTimestamp(8).toInstant());
    }
}
