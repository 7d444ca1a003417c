package dev.vidprocme.api;

import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;

/**
 * {@code GET /v1/jobs/{id}/frames/{index}.jpg}: the JPEG, streamed from the blob store, to callers
 * with the bearer token or a valid signed URL.
 */
final class FrameImageHandler implements Handler {
    private final FrameRepository frames;
    private final BlobStore blobs;
    private final FrameUrlSigner signer;

    FrameImageHandler(FrameRepository frames, BlobStore blobs, FrameUrlSigner signer) {
        this.frames = frames;
        this.blobs = blobs;
        this.signer = signer;
    }

    @Override
    public Reply handle(Request request) throws IOException {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        long index = QueryParams.index(request.pathParam("index"), "index");
        if (!request.bearerAuthenticated()) {
            signer.verify(id, index, request.query("exp"), request.query("sig"));
        }
        FrameRow row;
        try {
            row = frames.find(id, index).orElseThrow(() -> notFound(id, index));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
        String key = row.blobKey();
        long size;
        try {
            size = blobs.size(key);
        } catch (NoSuchFileException e) {
            throw notFound(id, index);
        }
        return Reply.stream(200, "image/jpeg", size, () -> blobs.open(key))
                // Frames never change once written; private keeps shared caches out of it.
                .header("Cache-Control", "private, max-age=3600");
    }

    private static ApiException notFound(String id, long index) {
        return ApiException.notFound("job " + id + " has no frame " + index);
    }
}
