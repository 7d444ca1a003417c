package dev.vidprocme.api;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.db.DeadLetterRepository;
import dev.vidprocme.io.db.DeadLetterRow;
import dev.vidprocme.io.db.JobDetails;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/dlq/{id}/replay}: resubmits a dead letter's original request as a new job. The
 * dead letter is marked in the new job's transaction, only if still unmarked, so it is replayed at
 * most once however many requests race.
 */
final class ReplayDeadLetterHandler implements Handler {
    private static final String FILE_SCHEME = "file:";

    private final DeadLetterRepository deadLetters;
    private final JobRepository jobs;
    private final JobSubmitter submitter;
    private final List<Path> allowedInputRoots;

    ReplayDeadLetterHandler(
            DeadLetterRepository deadLetters,
            JobRepository jobs,
            JobSubmitter submitter,
            List<Path> allowedInputRoots) {
        this.deadLetters = deadLetters;
        this.jobs = jobs;
        this.submitter = submitter;
        this.allowedInputRoots = List.copyOf(allowedInputRoots);
    }

    @Override
    public Reply handle(Request request) {
        String deadLetterId = JobIds.parse(request.pathParam("id"), "id", "dead-letter id");
        DeadLetterRow dead = find(deadLetterId);
        if (dead.replayedJobId() != null) {
            throw alreadyReplayed(dead);
        }
        JobRequest original = dead.letter().request();
        if (original == null || original.inputUri() == null) {
            throw new IllegalStateException(
                    "dead letter " + deadLetterId + " holds no request with an input URI");
        }
        checkStillAllowed(original.inputUri());
        JobSpec spec = original.spec() == null ? JobSpec.defaults() : original.spec();
        JobRow source = originalUpload(dead, original.inputUri());
        String id = JobIds.newId();
        request.jobId(id);
        Optional<JobDetails> job =
                submitter.submit(
                        new JobSubmitter.Submission(
                                id,
                                spec,
                                original.inputUri(),
                                source == null ? null : source.sourceName(),
                                source == null ? null : source.sourceBytes(),
                                deadLetterId),
                        DeadLetterRepository.replayClaim(deadLetterId));
        if (job.isEmpty()) {
            DeadLetterRow now = find(deadLetterId);
            if (now.replayedJobId() != null) {
                throw alreadyReplayed(now);
            }
            throw ApiException.conflict(
                    "already_replayed",
                    "dead letter " + deadLetterId + " is being replayed by another request");
        }
        return Reply.json(202, JobView.of(job.get())).header("Location", "/v1/jobs/" + id);
    }

    private DeadLetterRow find(String id) {
        try {
            return deadLetters
                    .find(id)
                    .orElseThrow(() -> ApiException.notFound("no dead letter " + id));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }

    private static ApiException alreadyReplayed(DeadLetterRow dead) {
        return ApiException.conflict(
                "already_replayed",
                "dead letter "
                        + dead.letter().id()
                        + " was already replayed as job "
                        + dead.replayedJobId());
    }

    /**
     * A file may have moved out of the allowed roots since the job first ran; say so now rather
     * than queue a job that can only fail. Uploads are in the blob store and need no check.
     */
    private void checkStillAllowed(String inputUri) {
        if (!inputUri.startsWith(FILE_SCHEME)) {
            return;
        }
        try {
            InputUris.checkUserUri(inputUri, allowedInputRoots);
        } catch (InputNotAllowedException e) {
            throw new ApiException(422, "input_not_allowed", e.getMessage(), null, null);
        }
    }

    /** The failed job, when its upload is the input, so the replay shows the same source. */
    private JobRow originalUpload(DeadLetterRow dead, String inputUri) {
        try {
            return jobs.find(dead.letter().jobId())
                    .filter(j -> j.sourceBytes() != null && inputUri.equals(j.inputUri()))
                    .orElse(null);
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }
}
