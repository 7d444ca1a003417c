package dev.vidprocme.api;

import dev.vidprocme.io.db.JobRepository;
import java.sql.SQLException;

/** {@code GET /v1/jobs/{id}}: the job's status, video properties, progress and outcome. */
final class GetJobHandler implements Handler {
    private final JobRepository jobs;

    GetJobHandler(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    public Reply handle(Request request) {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        try {
            return jobs.findDetails(id)
                    .map(row -> Reply.json(200, JobView.of(row)))
                    .orElseThrow(() -> ApiException.notFound("no job " + id));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }
}
