package dev.vidprocme.bench;

import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Where a one-segment job's time went, read from an in-process stack's {@code work_units} ledger
 * (the API does not show it): the timestamps the pipeline writes as a unit is created, starts and
 * ends split the job into waiting for planning, planning, waiting for a decode worker, decoding,
 * and reporting the status. Each is PostgreSQL's transaction time, to the millisecond.
 */
final class JobPhases implements AutoCloseable {
    private static final String QUERY =
            "SELECT j.created_at, p.first_started_at, p.updated_at, d.first_started_at,"
                    + " d.updated_at, j.updated_at FROM jobs j JOIN work_units p ON p.job_id = j.id"
                    + " AND p.stage = 'plan' JOIN work_units d ON d.job_id = j.id AND d.stage ="
                    + " 'decode' AND d.unit = 0 WHERE j.id = ?";

    private final Database database;

    JobPhases(DbSettings db) {
        this.database = Database.connect(db, 1, "bench-phases");
    }

    /** The phases of a finished job that had one segment. */
    Phases of(String jobId) throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no plan or decode unit for job " + jobId);
                }
                double[] t = new double[6];
                for (int i = 0; i < t.length; i++) {
                    Timestamp ts = rs.getTimestamp(i + 1);
                    t[i] = ts.getTime() / 1000.0;
                }
                return new Phases(t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4]);
            }
        }
    }

    @Override
    public void close() {
        database.close();
    }

    /**
     * Seconds spent in each phase.
     *
     * @param toPlanS submission to the plan's start: Kafka, the source, waiting for a plan worker
     * @param planS probing and planning
     * @param toDecodeS the plan's end to the segment's start: mostly waiting for a decode worker
     * @param decodeS decoding, encoding and writing the JPEGs, up to the frames' transaction
     * @param reportS that transaction to the terminal status: the tracker and the status sink
     */
    record Phases(double toPlanS, double planS, double toDecodeS, double decodeS, double reportS) {
        @Override
        public String toString() {
            return String.format(
                    "to plan %.3f, plan %.3f, to decode %.3f, decode %.3f, report %.3f",
                    toPlanS, planS, toDecodeS, decodeS, reportS);
        }
    }
}
