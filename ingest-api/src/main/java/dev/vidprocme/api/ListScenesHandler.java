package dev.vidprocme.api;

import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.SceneRepository;
import dev.vidprocme.records.Scene;
import java.sql.SQLException;
import java.util.List;

/** {@code GET /v1/jobs/{id}/scenes}: the scenes found in a job's video, in order. */
final class ListScenesHandler implements Handler {
    /** The response body. */
    record Scenes(List<Scene> items) {}

    private final JobRepository jobs;
    private final SceneRepository scenes;

    ListScenesHandler(JobRepository jobs, SceneRepository scenes) {
        this.jobs = jobs;
        this.scenes = scenes;
    }

    @Override
    public Reply handle(Request request) {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        try {
            if (jobs.find(id).isEmpty()) {
                throw ApiException.notFound("no job " + id);
            }
            return Reply.json(200, new Scenes(scenes.list(id)));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }
}
