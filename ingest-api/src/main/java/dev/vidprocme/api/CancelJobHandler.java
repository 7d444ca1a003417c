package dev.vidprocme.api;

import dev.vidprocme.io.db.Cancellation;
import dev.vidprocme.io.db.JobRepository;
import java.sql.SQLException;

/**
 * {@code DELETE /v1/jobs/{id}}: cancels a job that has not ended. Only the row changes here; the
 * pipeline reads the CANCELLED status and stops the job's remaining work.
 */
final class CancelJobHandler implements Handler {
    private final JobRepository jobs;

    CancelJobHandler(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    public Reply handle(Request request) {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        Cancellation result;
        try {
            result = jobs.cancel(id).orElseThrow(() -> ApiException.notFound("no job " + id));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
        if (!result.cancelled()) {
            throw ApiException.conflict(
                    "already_finished", "job " + id + " is already " + result.job().row().status());
        }
        return Reply.json(202, JobView.of(result.job()));
    }
}
