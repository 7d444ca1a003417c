package dev.vidprocme.io.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads how much work waits and runs at each priority, from the {@code work_units} mirror. */
public final class QueueRepository {
    public static final int MAX_PRIORITY = 9;

    /** The open units at one priority. */
    public record Bin(int priority, long waiting, long running) {}

    private final DataSource dataSource;

    public QueueRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One bin per priority, 9 down to 0, empty ones included. Units of jobs that have ended are
     * left out: a cancelled or failed job's mirror rows may lag behind its status.
     */
    public List<Bin> bins() throws SQLException {
        long[] waiting = new long[MAX_PRIORITY + 1];
        long[] running = new long[MAX_PRIORITY + 1];
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT w.priority, count(*) FILTER (WHERE w.state = 'waiting'),"
                                        + " count(*) FILTER (WHERE w.state = 'running') FROM"
                                        + " work_units w JOIN jobs j ON j.id = w.job_id WHERE"
                                        + " w.state IN ('waiting', 'running') AND j.status IN"
                                        + " ('QUEUED', 'RUNNING') GROUP BY w.priority");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int priority = rs.getInt(1);
                waiting[priority] = rs.getLong(2);
                running[priority] = rs.getLong(3);
            }
        }
        List<Bin> bins = new ArrayList<>(MAX_PRIORITY + 1);
        for (int p = MAX_PRIORITY; p >= 0; p--) {
            bins.add(new Bin(p, waiting[p], running[p]));
        }
        return bins;
    }
}
