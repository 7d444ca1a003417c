package dev.vidprocme.io.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code work_units} ledger: where each unit of work is (waiting, running, done...), how often
 * it has been started, and on which GPU. The pipeline's checkpointed state decides what runs; this
 * ledger lets the API show the queue, lets attempt counts survive restores, and is where a worker
 * learns that its job was cancelled before it spends anything on it.
 */
public final class WorkUnits {
    public static final String PLAN = "plan";
    public static final String DECODE = "decode";
    public static final String TRANSCODE = "transcode";
    public static final String ANALYSE = "analyse";
    public static final String CAPTION = "caption";

    /** One start of a unit: its attempt number (1 for the first) and when the first began. */
    public record Attempt(int attempts, long firstStartedAtMs) {}

    private final DataSource dataSource;

    public WorkUnits(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Marks a unit running and counts the attempt, but only while its job is QUEUED or RUNNING.
     *
     * @return the attempt, or empty when the job was cancelled, has ended or does not exist: the
     *     caller drops the unit without doing anything
     */
    public Optional<Attempt> start(String jobId, String stage, int unit, int priority, Integer gpu)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO work_units (job_id, stage, unit, state, priority,"
                                    + " attempts, gpu, first_started_at, updated_at) SELECT id, ?,"
                                    + " ?, 'running', ?, 1, ?, now(), now() FROM jobs WHERE id = ?"
                                    + " AND status IN ('QUEUED', 'RUNNING') ON CONFLICT (job_id,"
                                    + " stage, unit) DO UPDATE SET state = 'running', attempts ="
                                    + " work_units.attempts + 1, gpu = EXCLUDED.gpu,"
                                    + " first_started_at = COALESCE(work_units.first_started_at,"
                                    + " now()), updated_at = now() RETURNING attempts,"
                                    + " first_started_at")) {
            ps.setString(1, stage);
            ps.setInt(2, unit);
            ps.setInt(3, priority);
            if (gpu == null) {
                ps.setNull(4, Types.INTEGER);
            } else {
                ps.setInt(4, gpu);
            }
            ps.setString(5, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Attempt(rs.getInt(1), rs.getTimestamp(2).toInstant().toEpochMilli()));
            }
        }
    }

    /**
     * Records a finished plan and its decode units, waiting, in one transaction. A replay adds
     * nothing new: units already known keep their state.
     */
    public void planned(String jobId, int priority, int segmentCount) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                finish(c, jobId, PLAN, 0, "done", null);
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO work_units (job_id, stage, unit, state, priority)"
                                        + " SELECT ?, 'decode', g, 'waiting', ? FROM"
                                        + " generate_series(0, ? - 1) AS g ON CONFLICT DO"
                                        + " NOTHING")) {
                    ps.setString(1, jobId);
                    ps.setInt(2, priority);
                    ps.setInt(3, segmentCount);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records how a unit ended: {@code done}, {@code failed} or {@code dropped}. */
    public void finish(String jobId, String stage, int unit, String state) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            finish(c, jobId, stage, unit, state, null);
        }
    }

    /**
     * The same inside the caller's transaction; {@code decoder} is what decoded it ({@code cpu},
     * {@code cuda}) or null to leave it.
     */
    static void finish(
            Connection c, String jobId, String stage, int unit, String state, String decoder)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE work_units SET state = ?, decoder = COALESCE(?, decoder),"
                                + " updated_at = now() WHERE job_id = ? AND stage = ? AND unit ="
                                + " ?")) {
            ps.setString(1, state);
            ps.setString(2, decoder);
            ps.setString(3, jobId);
            ps.setString(4, stage);
            ps.setInt(5, unit);
            ps.executeUpdate();
        }
    }

    /**
     * Locks the job's row against a concurrent cancel for the rest of the caller's transaction.
     *
     * @return whether the job is still QUEUED or RUNNING, i.e. its results may be stored
     */
    static boolean lockActive(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT status FROM jobs WHERE id = ? FOR SHARE")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                String status = rs.getString(1);
                return status.equals("QUEUED") || status.equals("RUNNING");
            }
        }
    }
}
