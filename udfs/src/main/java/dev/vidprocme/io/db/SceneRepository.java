package dev.vidprocme.io.db;

import dev.vidprocme.records.Scene;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The {@code scenes} table: each job's scenes, written once the job's segments are all in. */
public final class SceneRepository {
    private final DataSource dataSource;

    public SceneRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Makes {@code scenes} the job's scenes: deletes what is there and inserts these, in the
     * caller's transaction (neither commits nor closes {@code c}), so a replayed write leaves
     * exactly the same rows and a reader never sees half of them.
     */
    public static void replace(Connection c, String jobId, List<Scene> scenes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM scenes WHERE job_id = ?")) {
            ps.setString(1, jobId);
            ps.executeUpdate();
        }
        if (scenes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO scenes (job_id, idx, start_ms, end_ms, kind, score)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Scene s : scenes) {
                ps.setString(1, jobId);
                ps.setInt(2, s.index());
                ps.setLong(3, s.startMs());
                ps.setLong(4, s.endMs());
                ps.setString(5, s.kind());
                ps.setDouble(6, s.score());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The job's scenes in order; empty when there are none (yet). */
    public List<Scene> list(String jobId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT idx, start_ms, end_ms, kind, score FROM scenes"
                                        + " WHERE job_id = ? ORDER BY idx")) {
            ps.setString(1, jobId);
            List<Scene> scenes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scenes.add(
                            new Scene(
                                    rs.getInt(1),
                                    rs.getLong(2),
                                    rs.getLong(3),
                                    rs.getString(4),
                                    rs.getDouble(5)));
                }
            }
            return scenes;
        }
    }
}
