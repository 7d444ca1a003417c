package dev.vidprocme.io.db;

import dev.vidprocme.records.SegmentResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads and writes extracted frames and per-segment decode outcomes. */
public final class FrameRepository {
    private static final String FRAME_COLUMNS =
            "job_id, idx, pts_ms, width, height, bytes, blob_key, segment";
    private final DataSource dataSource;

    public FrameRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores a segment's frames and its outcome, and marks its unit done (or failed), in one
     * transaction. Upserts on the deterministic keys, so replaying a segment after a failure leaves
     * exactly one row per frame. The job's row is locked first: a job cancelled (or ended)
     * meanwhile gets nothing, and a cancel waits until a store that began before it has committed.
     *
     * @return false when the job is no longer QUEUED or RUNNING and nothing was written
     */
    public boolean storeSegment(
            List<FrameRow> frames, SegmentResult result, long startMs, Long endMs)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!WorkUnits.lockActive(c, result.jobId())) {
                    c.rollback();
                    return false;
                }
                upsertFrames(c, frames);
                upsertSegment(c, result, startMs, endMs);
                WorkUnits.finish(
                        c,
                        result.jobId(),
                        WorkUnits.DECODE,
                        result.segmentIndex(),
                        result.failed() ? "failed" : "done",
                        result.device() == null ? null : result.device().replaceAll(":.*", ""));
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void upsertFrames(Connection c, List<FrameRow> frames) throws SQLException {
        if (frames.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO frames (job_id, idx, pts_ms, width, height, bytes, blob_key,"
                            + " segment) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, idx)"
                            + " DO UPDATE SET pts_ms = EXCLUDED.pts_ms, width = EXCLUDED.width,"
                            + " height = EXCLUDED.height, bytes = EXCLUDED.bytes, blob_key ="
                            + " EXCLUDED.blob_key, segment = EXCLUDED.segment")) {
            for (FrameRow f : frames) {
                ps.setString(1, f.jobId());
                ps.setLong(2, f.index());
                ps.setLong(3, f.ptsMs());
                ps.setInt(4, f.width());
                ps.setInt(5, f.height());
                ps.setInt(6, f.bytes());
                ps.setString(7, f.blobKey());
                ps.setInt(8, f.segment());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void upsertSegment(Connection c, SegmentResult r, long startMs, Long endMs)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO segments (job_id, idx, start_ms, end_ms, frames,"
                            + " decode_errors, failure_code, damage, elapsed_ms) VALUES (?, ?, ?,"
                            + " ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, idx) DO UPDATE SET frames ="
                            + " EXCLUDED.frames, decode_errors = EXCLUDED.decode_errors,"
                            + " failure_code = EXCLUDED.failure_code, damage = EXCLUDED.damage,"
                            + " elapsed_ms = EXCLUDED.elapsed_ms")) {
            ps.setString(1, r.jobId());
            ps.setInt(2, r.segmentIndex());
            ps.setLong(3, startMs);
            if (endMs == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, endMs);
            }
            ps.setLong(5, r.framesWritten());
            ps.setLong(6, r.decodeErrors());
            ps.setString(7, r.failureCode() == null ? null : r.failureCode().wireName());
            ps.setString(8, r.damage());
            ps.setLong(9, r.elapsedMs());
            ps.executeUpdate();
        }
    }

    /** The frames one segment of a job kept, ordered by index. */
    public List<FrameRow> segment(String jobId, int segment) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + FRAME_COLUMNS
                                        + " FROM frames WHERE job_id = ? AND segment = ?"
                                        + " ORDER BY idx")) {
            ps.setString(1, jobId);
            ps.setInt(2, segment);
            List<FrameRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(readFrame(rs));
                }
            }
            return rows;
        }
    }

    /** Frames of a job ordered by index, one page. */
    public List<FrameRow> page(String jobId, long offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + FRAME_COLUMNS
                                        + " FROM frames WHERE job_id = ? ORDER BY idx"
                                        + " OFFSET ? LIMIT ?")) {
            ps.setString(1, jobId);
            ps.setLong(2, offset);
            ps.setInt(3, limit);
            List<FrameRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(readFrame(rs));
                }
            }
            return rows;
        }
    }

    public long count(String jobId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM frames WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The stored frame with this index, if any. */
    public Optional<FrameRow> find(String jobId, long index) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + FRAME_COLUMNS
                                        + " FROM frames WHERE job_id = ? AND idx = ?")) {
            ps.setString(1, jobId);
            ps.setLong(2, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readFrame(rs)) : Optional.empty();
            }
        }
    }

    private static FrameRow readFrame(ResultSet rs) throws SQLException {
        return new FrameRow(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getInt(4),
                rs.getInt(5),
                rs.getInt(6),
                rs.getString(7),
                rs.getInt(8));
    }
}
