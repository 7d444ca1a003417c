package dev.vidprocme.io.db;

import dev.vidprocme.records.FrameAnalysis;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Stores what an analyser found in a segment's analysis frames and marks its unit done, in one
 * transaction that first locks the job's row: a cancelled job gets nothing, and a replay of the
 * unit overwrites the same rows (keyed by job, frame, analyser and model).
 */
public final class AnalysisStore {
    private final DataSource dataSource;

    public AnalysisStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param stage the work ledger's stage of the unit ({@code analyse} or {@code caption})
     * @return false when the job is no longer QUEUED or RUNNING and nothing was written
     */
    public boolean store(String jobId, String stage, int segment, List<FrameAnalysis> rows)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!WorkUnits.lockActive(c, jobId)) {
                    c.rollback();
                    return false;
                }
                AnalysisRepository.upsert(c, rows);
                WorkUnits.finish(c, jobId, stage, segment, "done", null);
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
