package dev.vidprocme.api;

import dev.vidprocme.io.db.IdempotencyKeyRepository;
import dev.vidprocme.io.db.JobDetails;
import dev.vidprocme.io.db.JobRepository;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Submits jobs under a client's {@code Idempotency-Key}: the first request with a key creates the
 * job, a retry of the same request gets that job back, and the key on a different request is
 * refused. The key is stored in the job's own transaction, so concurrent requests with one key
 * produce one job.
 */
final class IdempotentSubmitter {
    /** Rounds to try when the key's holder vanishes between losing to it and reading it. */
    private static final int ATTEMPTS = 3;

    /** What a submission led to. */
    sealed interface Outcome permits Created, Replayed {
        JobDetails job();
    }

    /** A new job was recorded and enqueued. */
    record Created(JobDetails job) implements Outcome {}

    /** The key already named this job for the same request; nothing new was queued. */
    record Replayed(JobDetails job) implements Outcome {}

    private final JobSubmitter submitter;
    private final IdempotencyKeyRepository keys;
    private final JobRepository jobs;

    IdempotentSubmitter(JobSubmitter submitter, IdempotencyKeyRepository keys, JobRepository jobs) {
        this.submitter = submitter;
        this.keys = keys;
        this.jobs = jobs;
    }

    /**
     * @param key the validated header value, or null to submit without one
     * @param requestHash the {@link RequestHash} of the request; ignored without a key
     * @throws ApiException 422 when the key was used for a different request, 503 when the database
     *     or queue fails
     */
    Outcome submit(JobSubmitter.Submission s, String key, String requestHash) {
        if (key == null) {
            return new Created(submitter.submit(s));
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<JobDetails> created =
                    submitter.submit(s, IdempotencyKeyRepository.claim(key, requestHash));
            if (created.isPresent()) {
                return new Created(created.get());
            }
            Optional<JobDetails> earlier = earlierJob(key, requestHash);
            if (earlier.isPresent()) {
                return new Replayed(earlier.get());
            }
            // The holder let go (its enqueue failed) or its job was deleted: claim the key again.
        }
        throw ApiException.unavailable(
                IdempotencyKeyHeader.NAME + " '" + key + "' is changing hands; try again", null);
    }

    private Optional<JobDetails> earlierJob(String key, String requestHash) {
        try {
            Optional<IdempotencyKeyRepository.StoredKey> stored = keys.find(key);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            String jobId = stored.get().jobId();
            if (!stored.get().requestHash().equals(requestHash)) {
                throw new ApiException(
                        422,
                        "idempotency_key_reused",
                        IdempotencyKeyHeader.NAME
                                + " '"
                                + key
                                + "' was used for a different request (job "
                                + jobId
                                + "); use a new key for a new request",
                        IdempotencyKeyHeader.NAME,
                        null);
            }
            return jobs.findDetails(jobId);
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }
}
