package dev.vidprocme.io.db;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.VideoInfo;
import dev.vidprocme.spec.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads and writes the {@code jobs} table. */
public final class JobRepository {
    private static final String COLUMNS =
            "id, status, priority, spec::text AS spec, input_uri, source_name, source_bytes,"
                    + " created_at, updated_at, progress, container, codec, width, height, fps,"
                    + " duration_ms, rotation, frame_count, frames_extracted, error_code,"
                    + " error_message, damage, outputs_progress::text AS outputs_progress,"
                    + " analysis::text AS analysis";

    private final DataSource dataSource;

    public JobRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a newly accepted job as QUEUED, with its planning unit; see the overload. */
    public void insertQueued(
            String id,
            int priority,
            String specJson,
            String inputUri,
            String sourceName,
            Long sourceBytes)
            throws SQLException {
        insertQueued(
                new QueuedJob(id, priority, specJson, inputUri, sourceName, sourceBytes, null),
                JobClaim.NONE);
    }

    /**
     * Records a newly accepted job as QUEUED together with its planning unit (stage {@code plan},
     * unit 0, {@code waiting}), so {@code GET /v1/queue} counts the job from the moment it is
     * accepted, and takes {@code claim}, all in one transaction.
     *
     * @return the stored job, or empty when the claim was held by another job (nothing is stored)
     */
    public Optional<JobDetails> insertQueued(QueuedJob job, JobClaim claim) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                JobDetails stored = insertJobRow(c, job);
                insertPlanUnit(c, job.id(), job.priority());
                if (!claim.take(c, job.id())) {
                    c.rollback();
                    return Optional.empty();
                }
                c.commit();
                return Optional.of(stored);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public Optional<JobRow> find(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Jobs that were accepted but never finished, oldest first (re-enqueued after a local restart).
     */
    public List<JobRow> unfinished() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT "
                                        + COLUMNS
                                        + " FROM jobs WHERE status IN ('QUEUED', 'RUNNING')"
                                        + " ORDER BY created_at")) {
            List<JobRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }
    }

    /**
     * Applies a tracker update unless a later one (higher seq) is already stored, and never leaves
     * a terminal status: replays after a restore rewrite the same values or nothing.
     *
     * @return whether the row changed
     */
    public static boolean apply(Connection c, JobUpdate u) throws SQLException {
        VideoInfo v = u.video();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE jobs SET status = ?, status_seq = ?, progress = ?, frames_extracted"
                            + " = ?, container = COALESCE(?, container), codec = COALESCE(?,"
                            + " codec), width = COALESCE(?, width), height = COALESCE(?, height),"
                            + " fps = COALESCE(?, fps), duration_ms = COALESCE(?, duration_ms),"
                            + " rotation = COALESCE(?, rotation), frame_count = COALESCE(?,"
                            + " frame_count), error_code = ?, error_message = ?, damage = ?,"
                            + " outputs_progress = ?::jsonb, analysis = ?::jsonb, updated_at = ?"
                            + " WHERE id = ? AND status_seq < ? AND status IN ('QUEUED',"
                            + " 'RUNNING')")) {
            int i = 1;
            ps.setString(i++, u.status().name());
            ps.setInt(i++, u.seq());
            ps.setDouble(i++, u.progress());
            ps.setLong(i++, u.framesExtracted());
            ps.setString(i++, v == null ? null : v.container());
            ps.setString(i++, v == null ? null : v.codec());
            setInt(ps, i++, v == null ? null : v.width());
            setInt(ps, i++, v == null ? null : v.height());
            if (v == null) {
                ps.setNull(i++, Types.DOUBLE);
            } else {
                ps.setDouble(i++, v.fps());
            }
            setLong(ps, i++, v == null ? null : v.durationMs());
            setInt(ps, i++, v == null ? null : v.rotation());
            setLong(ps, i++, v == null ? null : v.frameCount());
            ps.setString(i++, u.failureCode() == null ? null : u.failureCode().wireName());
            ps.setString(i++, u.failureMessage());
            ps.setString(i++, u.damage());
            ps.setString(i++, json(u.outputs()));
            ps.setString(i++, u.analysis() == null ? null : json(u.analysis()));
            ps.setTimestamp(i++, Timestamp.from(Instant.ofEpochMilli(u.atMs())));
            ps.setString(i++, u.jobId());
            ps.setInt(i, u.seq());
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends a job that never reached the pipeline (e.g. the jobs topic refused it). */
    public void markFailed(String id, FailureCode code, String message) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE jobs SET status = 'FAILED', error_code = ?, error_message ="
                                        + " ?, updated_at = now() WHERE id = ? AND status IN"
                                        + " ('QUEUED', 'RUNNING')")) {
            ps.setString(1, code.wireName());
            ps.setString(2, message);
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    private static JobRow read(ResultSet rs) throws SQLException {
        VideoInfo video = null;
        if (rs.getString("codec") != null) {
            video =
                    new VideoInfo(
                            rs.getString("container"),
                            rs.getString("codec"),
                            rs.getInt("width"),
                            rs.getInt("height"),
                            rs.getDouble("fps"),
                            rs.getLong("duration_ms"),
                            rs.getInt("rotation"),
                            rs.getLong("frame_count"));
        }
        long sourceBytes = rs.getLong("source_bytes");
        return new JobRow(
                rs.getString("id"),
                JobStatus.valueOf(rs.getString("status")),
                rs.getInt("priority"),
                rs.getString("spec"),
                rs.getString("input_uri"),
                rs.getString("source_name"),
                rs.wasNull() ? null : sourceBytes,
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getDouble("progress"),
                video,
                rs.getLong("frames_extracted"),
                rs.getString("error_code"),
                rs.getString("error_message"),
                rs.getString("damage"),
                rs.getString("outputs_progress"),
                rs.getString("analysis"));
    }

    private static final ObjectMapper COMPACT =
            Json.mapper().copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private static String json(Object value) throws SQLException {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write " + value + " as JSON", e);
        }
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    // ---- issue 3: planning units, replays, cancellation, claims ----

    private static JobDetails insertJobRow(Connection c, QueuedJob job) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO jobs (id, status, priority, spec, input_uri, source_name,"
                                + " source_bytes, replay_of) VALUES (?, 'QUEUED', ?, ?::jsonb, ?,"
                                + " ?, ?, ?) RETURNING "
                                + COLUMNS
                                + ", replay_of")) {
            ps.setString(1, job.id());
            ps.setInt(2, job.priority());
            ps.setString(3, job.specJson());
            ps.setString(4, job.inputUri());
            ps.setString(5, job.sourceName());
            setLong(ps, 6, job.sourceBytes());
            ps.setString(7, job.replayOf());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return readDetails(rs);
            }
        }
    }

    private static void insertPlanUnit(Connection c, String jobId, int priority)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO work_units (job_id, stage, unit, state, priority) VALUES (?,"
                                + " 'plan', 0, 'waiting', ?)")) {
            ps.setString(1, jobId);
            ps.setInt(2, priority);
            ps.executeUpdate();
        }
    }

    /** The job with its origin, as the API shows it. */
    public Optional<JobDetails> findDetails(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT " + COLUMNS + ", replay_of FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readDetails(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Cancels a job that has not ended: marks it CANCELLED and drops its units that have not
     * started, in one transaction. Units already running finish or stop on the pipeline's side,
     * which reads the status from the row.
     *
     * @return empty when there is no such job
     */
    public Optional<Cancellation> cancel(String id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean cancelled;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE jobs SET status = 'CANCELLED', error_message = 'cancelled"
                                        + " by request', updated_at = now() WHERE id = ? AND status"
                                        + " IN ('QUEUED', 'RUNNING')")) {
                    ps.setString(1, id);
                    cancelled = ps.executeUpdate() == 1;
                }
                if (cancelled) {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE work_units SET state = 'dropped', updated_at = now()"
                                            + " WHERE job_id = ? AND state = 'waiting'")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
                Optional<JobDetails> job;
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT " + COLUMNS + ", replay_of FROM jobs WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        job = rs.next() ? Optional.of(readDetails(rs)) : Optional.empty();
                    }
                }
                c.commit();
                // No update means the job is missing or terminal, and terminal jobs stay terminal.
                return job.map(j -> new Cancellation(j, cancelled));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Gives up {@code claim} for {@code jobId} in a transaction of its own. */
    public void release(JobClaim claim, String jobId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            claim.release(c, jobId);
        }
    }

    private static JobDetails readDetails(ResultSet rs) throws SQLException {
        return new JobDetails(read(rs), rs.getString("replay_of"));
    }
}
