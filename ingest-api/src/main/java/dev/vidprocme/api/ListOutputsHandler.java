package dev.vidprocme.api;

import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.OutputRepository;
import dev.vidprocme.io.db.OutputRow;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/jobs/{id}/outputs}: what a job produced, each with a URL that works without the
 * bearer header until it expires: the blob store's own signed URL (GCS), or one this API serves.
 */
final class ListOutputsHandler implements Handler {
    /** The response body. */
    record Page(List<Item> items) {}

    /** One output; {@code url} is absolute. */
    record Item(String name, String kind, String contentType, long bytes, String url) {}

    private final JobRepository jobs;
    private final OutputRepository outputs;
    private final BlobStore blobs;
    private final OutputUrlSigner signer;
    private final Duration ttl;
    private final String baseUrl;

    ListOutputsHandler(
            JobRepository jobs,
            OutputRepository outputs,
            BlobStore blobs,
            OutputUrlSigner signer,
            Duration ttl,
            String baseUrl) {
        this.jobs = jobs;
        this.outputs = outputs;
        this.blobs = blobs;
        this.signer = signer;
        this.ttl = ttl;
        this.baseUrl = baseUrl;
    }

    @Override
    public Reply handle(Request request) throws IOException {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        List<OutputRow> rows;
        try {
            if (jobs.find(id).isEmpty()) {
                throw ApiException.notFound("no job " + id);
            }
            rows = outputs.list(id);
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
        List<Item> items = new ArrayList<>(rows.size());
        for (OutputRow r : rows) {
            Optional<URI> signed = blobs.signedUrl(r.blobKey(), ttl);
            String url =
                    signed.map(URI::toString)
                            .orElseGet(() -> baseUrl + signer.signedPath(id, r.name()));
            items.add(new Item(r.name(), r.kind().wireName(), r.contentType(), r.bytes(), url));
        }
        return Reply.json(200, new Page(items));
    }
}
