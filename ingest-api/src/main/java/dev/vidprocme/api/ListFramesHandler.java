package dev.vidprocme.api;

import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.JobRepository;
import java.sql.SQLException;
import java.util.List;

/** {@code GET /v1/jobs/{id}/frames}: one page of extracted frames, each with a signed image URL. */
final class ListFramesHandler implements Handler {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** The response body. */
    record Page(long total, List<Item> items) {}

    /** One frame; {@code url} is absolute and works without the bearer header until it expires. */
    record Item(long index, long ptsMs, int width, int height, String url) {}

    private final JobRepository jobs;
    private final FrameRepository frames;
    private final FrameUrlSigner signer;
    private final String baseUrl;

    ListFramesHandler(
            JobRepository jobs, FrameRepository frames, FrameUrlSigner signer, String baseUrl) {
        this.jobs = jobs;
        this.frames = frames;
        this.signer = signer;
        this.baseUrl = baseUrl;
    }

    @Override
    public Reply handle(Request request) {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        long offset = QueryParams.longParam(request, "offset", 0, 0, Long.MAX_VALUE);
        int limit = (int) QueryParams.longParam(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        try {
            if (jobs.find(id).isEmpty()) {
                throw ApiException.notFound("no job " + id);
            }
            long total = frames.count(id);
            List<Item> items = frames.page(id, offset, limit).stream().map(this::item).toList();
            return Reply.json(200, new Page(total, items));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }

    private Item item(FrameRow f) {
        return new Item(
                f.index(),
                f.ptsMs(),
                f.width(),
                f.height(),
                baseUrl + signer.signedPath(f.jobId(), f.index()));
    }
}
