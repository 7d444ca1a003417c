package dev.vidprocme.bench;

import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a batch's work went by pipeline stage, and what the analysers stored, read from an
 * in-process stack's database (the API shows neither): per stage of the {@code work_units} ledger,
 * the units that finished and the seconds between each one's first start and its end; per analyser,
 * the rows in {@code frame_analyses}. Unit seconds are wall time on a shared machine, so they
 * compare stages within one run, not runs.
 */
final class StageTimes {
    private static final String STAGES =
            "SELECT stage, count(*), coalesce(sum(extract(epoch FROM updated_at -"
                    + " first_started_at)), 0) FROM work_units WHERE job_id = ANY(?) AND state ="
                    + " 'done' GROUP BY stage ORDER BY stage";
    private static final String ANALYSES =
            "SELECT analyser, count(*), count(*) FILTER (WHERE body <> ''), count(DISTINCT job_id)"
                    + " FROM frame_analyses WHERE job_id = ANY(?) GROUP BY analyser ORDER BY"
                    + " analyser";

    private StageTimes() {}

    /** Lines describing {@code jobIds}' units by stage and their stored analyses. */
    static List<String> of(DbSettings db, List<String> jobIds) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Database database = Database.connect(db, 1, "bench-stages");
                Connection c = database.connection()) {
            Array ids = c.createArrayOf("text", jobIds.toArray());
            try (PreparedStatement ps = c.prepareStatement(STAGES)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long units = rs.getLong(2);
                        double seconds = rs.getDouble(3);
                        lines.add(
                                String.format(
                                        "stage %-9s %4d units done, %7.2f unit-s (%.3f s each)",
                                        rs.getString(1), units, seconds, seconds / units));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(ANALYSES)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lines.add(
                                String.format(
                                        "frame_analyses %-7s %4d rows (%d with text) over %d jobs",
                                        rs.getString(1),
                                        rs.getLong(2),
                                        rs.getLong(3),
                                        rs.getLong(4)));
                    }
                }
            }
        }
        return lines;
    }
}
