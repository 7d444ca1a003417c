package dev.vidprocme.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.Json;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a validated job: records it as QUEUED, then hands it to the queue. The row comes first so
 * the pipeline never sees a job the database does not know; a job the queue refuses is marked
 * FAILED so it does not sit in QUEUED forever.
 */
public final class JobSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);

    private final JobRepository jobs;
    private final JobQueue queue;
    private final Clock clock;

    public JobSubmitter(JobRepository jobs, JobQueue queue, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * @param spec the validated spec; its input section is dropped (the URI travels separately)
     * @throws ApiException 503 when the database or the queue fails
     */
    public void submit(
            String jobId, JobSpec spec, String inputUri, String sourceName, Long sourceBytes) {
        JobSpec stored = spec.withoutInput();
        String specJson;
        try {
            specJson = Json.mapper().writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try {
            jobs.insertQueued(
                    jobId, stored.priority(), specJson, inputUri, sourceName, sourceBytes);
        } catch (SQLException e) {
            // The dispatcher logs the stack trace with the 503; this line says what was lost.
            LOG.error("job {}: could not record the job: {}", jobId, e.getMessage());
            throw ApiException.unavailable("the job database is unavailable; try again later", e);
        }
        try {
            queue.enqueue(new JobRequest(jobId, inputUri, stored, clock.millis()));
        } catch (JobQueue.EnqueueException e) {
            LOG.error("job {}: could not enqueue: {}", jobId, e.getMessage());
            markFailed(jobId, "could not enqueue: " + e.getMessage());
            throw ApiException.unavailable(
                    "could not enqueue job " + jobId + " (it is marked FAILED); try again later",
                    e);
        }
        LOG.info("job {}: queued (priority {}, input {})", jobId, stored.priority(), inputUri);
    }

    private void markFailed(String jobId, String message) {
        try {
            jobs.markFailed(jobId, FailureCode.INTERNAL, message);
        } catch (SQLException e) {
            LOG.error("job {}: could not mark the job failed after the enqueue failure", jobId, e);
        }
    }
}
