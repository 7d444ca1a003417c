package dev.vidprocme.api;

import dev.vidprocme.io.db.JobClaim;
import dev.vidprocme.io.db.JobDetails;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.QueuedJob;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a validated job: records it as QUEUED, then hands it to the queue. The row comes first so
 * the pipeline never sees a job the database does not know; a job the queue refuses is marked
 * FAILED so it does not sit in QUEUED forever, and gives up what it claimed so a retry can have it.
 */
public final class JobSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);

    /**
     * A job to accept.
     *
     * @param spec the validated spec; its input section is dropped (the URI travels separately)
     * @param sourceName the upload's display name, or null
     * @param sourceBytes the upload's size, or null for URI jobs
     * @param replayOf the dead letter this job resubmits, or null
     */
    public record Submission(
            String jobId,
            JobSpec spec,
            String inputUri,
            String sourceName,
            Long sourceBytes,
            String replayOf) {}

    private final JobRepository jobs;
    private final JobQueue queue;
    private final Clock clock;

    public JobSubmitter(JobRepository jobs, JobQueue queue, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * Records and enqueues a job that claims nothing.
     *
     * @return the job as recorded (QUEUED)
     * @throws ApiException 503 when the database or the queue fails
     */
    public JobDetails submit(Submission s) {
        return submit(s, JobClaim.NONE)
                .orElseThrow(() -> new IllegalStateException("the empty claim was refused"));
    }

    /**
     * Records the job and takes {@code claim} in one transaction, then enqueues the job.
     *
     * @return the job as recorded (QUEUED), or empty when another job holds the claim: then nothing
     *     was recorded or enqueued
     * @throws ApiException 503 when the database or the queue fails
     */
    public Optional<JobDetails> submit(Submission s, JobClaim claim) {
        String jobId = s.jobId();
        JobSpec stored = s.spec().withoutInput();
        Optional<JobDetails> recorded;
        try {
            recorded =
                    jobs.insertQueued(
                            new QueuedJob(
                                    jobId,
                                    stored.priority(),
                                    Specs.normalisedJson(stored),
                                    s.inputUri(),
                                    s.sourceName(),
                                    s.sourceBytes(),
                                    s.replayOf()),
                            claim);
        } catch (SQLException e) {
            // The dispatcher logs the stack trace with the 503; this line says what was lost.
            LOG.error("job {}: could not record the job: {}", jobId, e.getMessage());
            throw ApiException.unavailable("the job database is unavailable; try again later", e);
        }
        if (recorded.isEmpty()) {
            LOG.debug("job {}: not recorded, another job holds its claim", jobId);
            return recorded;
        }
        try {
            queue.enqueue(new JobRequest(jobId, s.inputUri(), stored, clock.millis()));
        } catch (JobQueue.EnqueueException e) {
            LOG.error("job {}: could not enqueue: {}", jobId, e.getMessage());
            markFailed(jobId, "could not enqueue: " + e.getMessage());
            release(claim, jobId);
            throw ApiException.unavailable(
                    "could not enqueue job " + jobId + " (it is marked FAILED); try again later",
                    e);
        }
        LOG.info(
                "job {}: queued (priority {}, input {}{})",
                jobId,
                stored.priority(),
                s.inputUri(),
                s.replayOf() == null ? "" : ", replay of dead letter " + s.replayOf());
        return recorded;
    }

    private void markFailed(String jobId, String message) {
        try {
            jobs.markFailed(jobId, FailureCode.INTERNAL, message);
        } catch (SQLException e) {
            LOG.error("job {}: could not mark the job failed after the enqueue failure", jobId, e);
        }
    }

    private void release(JobClaim claim, String jobId) {
        try {
            jobs.release(claim, jobId);
        } catch (SQLException e) {
            LOG.error("job {}: could not release its claim after the enqueue failure", jobId, e);
        }
    }
}
