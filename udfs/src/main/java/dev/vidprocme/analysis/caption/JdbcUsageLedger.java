package dev.vidprocme.analysis.caption;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** The usage ledger in PostgreSQL ({@code caption_usage}, migration V5). */
public final class JdbcUsageLedger implements UsageLedger {
    private static final String UPSERT =
            "INSERT INTO caption_usage (job_id, frame_idx, model, input_tokens, output_tokens,"
                    + " cost_usd) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, frame_idx, model)"
                    + " DO UPDATE SET input_tokens = EXCLUDED.input_tokens, output_tokens ="
                    + " EXCLUDED.output_tokens, cost_usd = EXCLUDED.cost_usd, recorded_at = now()";
    private static final String TOTAL =
            "SELECT coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
                    + " coalesce(sum(cost_usd), 0), count(*) FROM caption_usage WHERE job_id = ?";

    private final DataSource dataSource;

    public JdbcUsageLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void record(String jobId, List<FrameUsage> usage) {
        if (usage.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement(UPSERT)) {
            for (FrameUsage u : usage) {
                upsert.setString(1, jobId);
                upsert.setLong(2, u.frameIndex());
                upsert.setString(3, u.model());
                upsert.setLong(4, u.inputTokens());
                upsert.setLong(5, u.outputTokens());
                upsert.setDouble(6, u.costUsd());
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException e) {
            throw new CaptionStoreException(
                    "cannot record caption usage for job " + jobId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Usage totalFor(String jobId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement total = c.prepareStatement(TOTAL)) {
            total.setString(1, jobId);
            try (ResultSet rs = total.executeQuery()) {
                rs.next();
                return new Usage(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4));
            }
        } catch (SQLException e) {
            throw new CaptionStoreException(
                    "cannot read caption usage for job " + jobId + ": " + e.getMessage(), e);
        }
    }
}
