package dev.vidprocme.io.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repositories behind queue, dead letters, cancellation and idempotent submission, against a
 * real PostgreSQL migrated by Flyway: the transactional guarantees the API and the pipeline rely
 * on.
 */
class SchedulingRepositoriesITCase {
    private static EmbeddedPostgres postgres;
    private static Database database;
    private static JobRepository jobs;
    private static DeadLetterRepository deadLetters;
    private static IdempotencyKeyRepository keys;

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Database.migrate(db);
        database = Database.connect(db, 4, "scheduling-repos-it");
        jobs = new JobRepository(database.dataSource());
        deadLetters = new DeadLetterRepository(database.dataSource());
        keys = new IdempotencyKeyRepository(database.dataSource());
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void insertQueuedWritesTheJobAndItsPlanningUnitTogether() throws Exception {
        String replayOf = UUID.randomUUID().toString();
        JobDetails job = jobs.insertQueued(queued(7, replayOf), JobClaim.NONE).orElseThrow();
        assertThat(job.row().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.row().priority()).isEqualTo(7);
        assertThat(job.replayOf()).isEqualTo(replayOf);
        assertThat(jobs.findDetails(job.row().id())).hasValue(job);
        assertThat(units(job.row().id())).containsExactly("plan/0/waiting/7");
    }

    @Test
    void aRefusedClaimLeavesNothingBehind() throws Exception {
        QueuedJob refused = queued(5, null);
        JobClaim taken =
                new JobClaim() {
                    @Override
                    public boolean take(Connection c, String jobId) {
                        return false;
                    }

                    @Override
                    public void release(Connection c, String jobId) {}
                };
        assertThat(jobs.insertQueued(refused, taken)).isEmpty();
        assertThat(jobs.findDetails(refused.id())).isEmpty();
        assertThat(units(refused.id())).isEmpty();
    }

    @Test
    void cancelEndsOpenJobsOnlyAndDropsTheirWaitingUnits() throws Exception {
        String id = jobs.insertQueued(queued(4, null), JobClaim.NONE).orElseThrow().row().id();
        Cancellation first = jobs.cancel(id).orElseThrow();
        assertThat(first.cancelled()).isTrue();
        assertThat(first.job().row().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(first.job().row().errorMessage()).isEqualTo("cancelled by request");
        assertThat(units(id)).containsExactly("plan/0/dropped/4");

        Cancellation second = jobs.cancel(id).orElseThrow();
        assertThat(second.cancelled()).isFalse();
        assertThat(second.job().row().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(jobs.cancel(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void upsertRunsInTheCallersTransactionAndKeepsTheFirstWrite() throws Exception {
        String jobId = jobs.insertQueued(queued(5, null), JobClaim.NONE).orElseThrow().row().id();
        DeadLetter d = deadLetter(jobId, 2, "first");
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            DeadLetterRepository.upsert(c, d);
            assertThat(c.isClosed()).isFalse();
            c.rollback();
            assertThat(deadLetters.find(d.id())).isEmpty();
            DeadLetterRepository.upsert(c, d);
            DeadLetterRepository.upsert(c, deadLetter(jobId, 2, "second"));
            c.commit();
        }
        DeadLetterRow row = deadLetters.find(d.id()).orElseThrow();
        assertThat(row.letter()).isEqualTo(d);
        assertThat(row.replayedJobId()).isNull();
        assertThat(deadLetters.list(jobId, 10)).containsExactly(row);
    }

    @Test
    void onlyTheFirstReplayMarkWinsAndAReleaseUndoesOnlyItsOwn() throws Exception {
        String jobId = jobs.insertQueued(queued(5, null), JobClaim.NONE).orElseThrow().row().id();
        DeadLetter d = deadLetter(jobId, 0, "gave up");
        try (Connection c = database.connection()) {
            DeadLetterRepository.upsert(c, d);
        }
        assertThat(deadLetters.markReplayed(d.id(), "job-a")).isTrue();
        assertThat(deadLetters.markReplayed(d.id(), "job-b")).isFalse();
        jobs.release(DeadLetterRepository.replayClaim(d.id()), "job-b");
        assertThat(deadLetters.find(d.id()).orElseThrow().replayedJobId()).isEqualTo("job-a");
        jobs.release(DeadLetterRepository.replayClaim(d.id()), "job-a");
        DeadLetterRow released = deadLetters.find(d.id()).orElseThrow();
        assertThat(released.replayedJobId()).isNull();
        assertThat(released.replayedAt()).isNull();
    }

    @Test
    void anIdempotencyKeyBindsOneJobUntilItIsReleasedOrStale() throws Exception {
        String key = "key-" + UUID.randomUUID();
        QueuedJob first = queued(5, null);
        assertThat(jobs.insertQueued(first, IdempotencyKeyRepository.claim(key, "h1"))).isPresent();
        QueuedJob second = queued(5, null);
        assertThat(jobs.insertQueued(second, IdempotencyKeyRepository.claim(key, "h2"))).isEmpty();
        assertThat(jobs.findDetails(second.id())).isEmpty();
        assertThat(keys.find(key))
                .hasValueSatisfying(
                        k -> {
                            assertThat(k.jobId()).isEqualTo(first.id());
                            assertThat(k.requestHash()).isEqualTo("h1");
                        });

        try (Connection c = database.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE idempotency_keys SET created_at = now() - interval '25"
                                        + " hours' WHERE key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
        assertThat(keys.find(key)).isEmpty();
        assertThat(jobs.insertQueued(second, IdempotencyKeyRepository.claim(key, "h2")))
                .isPresent();
        assertThat(keys.find(key).orElseThrow().jobId()).isEqualTo(second.id());

        jobs.release(IdempotencyKeyRepository.claim(key, "h2"), first.id());
        assertThat(keys.find(key)).isPresent();
        jobs.release(IdempotencyKeyRepository.claim(key, "h2"), second.id());
        assertThat(keys.find(key)).isEmpty();
    }

    @Test
    void queueBinsCoverEveryPriorityHighestFirst() throws Exception {
        List<QueueRepository.Bin> bins = new QueueRepository(database.dataSource()).bins();
        assertThat(bins)
                .extracting(QueueRepository.Bin::priority)
                .containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    private static QueuedJob queued(int priority, String replayOf) {
        return new QueuedJob(
                UUID.randomUUID().toString(),
                priority,
                "{\"priority\":" + priority + "}",
                "file:///srv/v.mp4",
                null,
                null,
                replayOf);
    }

    private static DeadLetter deadLetter(String jobId, int unit, String message) {
        long at = Instant.parse("2030-01-01T00:00:00.125Z").toEpochMilli();
        return new DeadLetter(
                DeadLetter.idFor(jobId, "decode", unit),
                jobId,
                "decode",
                unit,
                3,
                "decode_failed",
                message,
                at,
                new JobRequest(jobId, "file:///srv/v.mp4", JobSpec.defaults(), at));
    }

    private static List<String> units(String jobId) throws Exception {
        try (Connection c = database.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT stage || '/' || unit || '/' || state || '/' || priority"
                                        + " FROM work_units WHERE job_id = ? ORDER BY 1")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> units = new ArrayList<>();
                while (rs.next()) {
                    units.add(rs.getString(1));
                }
                return units;
            }
        }
    }
}
