package dev.vidprocme.bench;

import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.records.TranscodeResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where a one-rendition job's time went, read from an in-process stack's {@code work_units} ledger:
 * the plan unit, the rendition's part units (numbers 1..n) and its finishing unit (number 0: audio,
 * join, verify, publish), the decode units that ran beside them (every job decodes its frames), and
 * the job's own created and updated times. Each time is PostgreSQL's transaction time, to the
 * millisecond.
 */
final class TranscodePhases implements AutoCloseable {
    private static final String QUERY =
            "SELECT u.stage, u.unit, u.first_started_at, u.updated_at, j.created_at, j.updated_at"
                    + " FROM work_units u JOIN jobs j ON j.id = u.job_id WHERE u.job_id = ?"
                    + " AND u.stage IN ('plan', 'decode', 'transcode')";

    private final Database database;

    TranscodePhases(DbSettings db) {
        this.database = Database.connect(db, 1, "bench-transcode-phases");
    }

    /** The phases of a finished job whose only output is rendition 0 (no thumbnails). */
    Phases of(String jobId) throws SQLException {
        double created = Double.NaN;
        double ended = Double.NaN;
        double planStart = Double.NaN;
        double planEnd = Double.NaN;
        double finalStart = Double.NaN;
        double finalEnd = Double.NaN;
        double partsStart = Double.POSITIVE_INFINITY;
        double partsEnd = Double.NEGATIVE_INFINITY;
        double partsSum = 0;
        int parts = 0;
        double decodeEnd = Double.NEGATIVE_INFINITY;
        double decodeSum = 0;
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String stage = rs.getString(1);
                    int unit = rs.getInt(2);
                    double start = rs.getTimestamp(3).getTime() / 1000.0;
                    double end = rs.getTimestamp(4).getTime() / 1000.0;
                    created = rs.getTimestamp(5).getTime() / 1000.0;
                    ended = rs.getTimestamp(6).getTime() / 1000.0;
                    if (stage.equals(WorkUnits.DECODE)) {
                        decodeSum += end - start;
                        decodeEnd = Math.max(decodeEnd, end);
                    } else if (stage.equals(WorkUnits.PLAN)) {
                        planStart = start;
                        planEnd = end;
                    } else if (unit == TranscodeResult.unitNumber(0, TranscodeResult.FINAL)) {
                        finalStart = start;
                        finalEnd = end;
                    } else if (unit < TranscodeResult.unitNumber(1, TranscodeResult.FINAL)) {
                        // The parts of the job's one rendition.
                        parts++;
                        partsSum += end - start;
                        partsStart = Math.min(partsStart, start);
                        partsEnd = Math.max(partsEnd, end);
                    }
                }
            }
        }
        if (parts == 0 || Double.isNaN(planStart) || Double.isNaN(finalStart)) {
            throw new IllegalStateException(
                    "job " + jobId + " lacks a plan, part or finishing unit in work_units");
        }
        return new Phases(
                planStart - created,
                planEnd - planStart,
                partsStart - planEnd,
                partsEnd - partsStart,
                partsSum,
                parts,
                finalStart - partsEnd,
                finalEnd - finalStart,
                ended - finalEnd,
                decodeSum,
                decodeEnd - planEnd);
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
     * @param toPartsS the plan's end to the first part's start
     * @param partsS the first part's start to the last part's end: the video encode, wall time
     * @param partsSumS the parts' own times added up (more than {@code partsS} when they overlap)
     * @param parts how many parts the rendition was cut into
     * @param toFinalS the last part's end to the finishing unit's start (collecting the parts)
     * @param finalS the finishing unit: audio encode, join, verify, publish
     * @param reportS the finishing unit's end to the terminal status: the tracker and the sink
     * @param decodeSumS the decode units' own times added up
     * @param decodeEndS the plan's end to the last decode unit's end
     */
    record Phases(
            double toPlanS,
            double planS,
            double toPartsS,
            double partsS,
            double partsSumS,
            int parts,
            double toFinalS,
            double finalS,
            double reportS,
            double decodeSumS,
            double decodeEndS) {
        @Override
        public String toString() {
            String transcode =
                    String.format(
                            "to plan %.2f, plan %.2f, to parts %.2f, %d part(s) %.2f (sum %.2f), to"
                                    + " final %.2f, final %.2f, report %.2f",
                            toPlanS, planS, toPartsS, parts, partsS, partsSumS, toFinalS, finalS,
                            reportS);
            // A job with frames.mode none has no decode units at all.
            return Double.isFinite(decodeEndS)
                    ? transcode
                            + String.format(
                                    "; decode units %.2f, done %.2f after the plan",
                                    decodeSumS, decodeEndS)
                    : transcode + "; no decode units";
        }
    }
}
