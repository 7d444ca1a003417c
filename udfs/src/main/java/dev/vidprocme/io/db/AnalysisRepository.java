package dev.vidprocme.io.db;

import dev.vidprocme.analysis.SearchableText;
import dev.vidprocme.analysis.embed.TextEmbedder;
import dev.vidprocme.records.FrameAnalysis;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code frame_analyses} table: one row per frame, analyser and model. The pipeline writes with
 * {@link #upsert}; the API reads a frame's or a job's analyses back.
 */
public final class AnalysisRepository {
    private static final String COLUMNS =
            "job_id, frame_idx, analyser, model, result::text, body, embedding";

    private final DataSource dataSource;

    public AnalysisRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores analyses, overwriting any row with the same (job, frame, analyser, model): a replay
     * after a restore rewrites the same rows, never adds any. The frames must already be stored (or
     * be stored earlier in the same transaction). Runs in the caller's transaction: neither commits
     * nor closes {@code c}.
     */
    public static void upsert(Connection c, List<FrameAnalysis> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO frame_analyses (job_id, frame_idx, analyser, model, result,"
                                + " body, embedding) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)"
                                + " ON CONFLICT (job_id, frame_idx, analyser, model) DO UPDATE SET"
                                + " result = EXCLUDED.result, body = EXCLUDED.body,"
                                + " embedding = EXCLUDED.embedding, updated_at = now()")) {
            for (FrameAnalysis a : rows) {
                ps.setString(1, a.jobId());
                ps.setLong(2, a.frameIndex());
                ps.setString(3, a.analyser());
                ps.setString(4, a.model());
                ps.setString(5, a.resultJson());
                // PostgreSQL text cannot hold NUL, and search reserves two control characters.
                ps.setString(6, SearchableText.withoutControlCharacters(a.body()));
                if (a.embedding() == null) {
                    ps.setNull(7, Types.ARRAY);
                } else {
                    // Search ranks by dot product, which is the cosine only for unit vectors.
                    ps.setArray(7, realArray(c, TextEmbedder.normalised(a.embedding())));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Stores analyses in a transaction of their own; see {@link #upsert(Connection, List)}. */
    public void upsert(List<FrameAnalysis> rows) throws SQLException {
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

    /** A frame's analyses, ordered by analyser and model. */
    public List<FrameAnalysis> forFrame(String jobId, long frameIndex) throws SQLException {
        return query(
                "SELECT "
                        + COLUMNS
                        + " FROM frame_analyses WHERE job_id = ? AND frame_idx = ?"
                        + " ORDER BY analyser, model",
                jobId,
                frameIndex);
    }

    /** A job's analyses, ordered by frame, analyser and model. */
    public List<FrameAnalysis> forJob(String jobId) throws SQLException {
        return query(
                "SELECT "
                        + COLUMNS
                        + " FROM frame_analyses WHERE job_id = ?"
                        + " ORDER BY frame_idx, analyser, model",
                jobId,
                null);
    }

    private List<FrameAnalysis> query(String sql, String jobId, Long frameIndex)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, jobId);
            if (frameIndex != null) {
                ps.setLong(2, frameIndex);
            }
            List<FrameAnalysis> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(
                            new FrameAnalysis(
                                    rs.getString(1),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getString(6),
                                    floats(rs.getArray(7))));
                }
            }
            return rows;
        }
    }

    static Array realArray(Connection c, float[] vector) throws SQLException {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return c.createArrayOf("float4", boxed);
    }

    private static float[] floats(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] values = (Object[]) array.getArray();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).floatValue();
        }
        return out;
    }
}
