package dev.vidprocme.api;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /v1/jobs}: a multipart upload or a JSON spec naming an input URI. */
final class SubmitJobHandler implements Handler {
    static final int MAX_JSON_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(SubmitJobHandler.class);

    /** The 202 body. */
    record Accepted(String id, JobStatus status) {}

    private final JobSubmitter submitter;
    private final MultipartUpload uploads;
    private final BlobStore blobs;
    private final List<Path> allowedInputRoots;

    SubmitJobHandler(
            JobSubmitter submitter,
            MultipartUpload uploads,
            BlobStore blobs,
            List<Path> allowedInputRoots) {
        this.submitter = submitter;
        this.uploads = uploads;
        this.blobs = blobs;
        this.allowedInputRoots = List.copyOf(allowedInputRoots);
    }

    @Override
    public Reply handle(Request request) throws IOException {
        switch (request.mediaType()) {
            case "multipart/form-data":
                return upload(request);
            case "application/json":
                return fromUri(request);
            default:
                throw new ApiException(
                        415,
                        "unsupported_media_type",
                        "send multipart/form-data (a 'file' part, optional 'spec') or"
                                + " application/json (a spec with input.uri)");
        }
    }

    private Reply upload(Request request) {
        String id = JobIds.newId();
        request.jobId(id);
        // Refuse before reading a byte when the declared size already says no.
        if (request.contentLength() > uploads.maxRequestBytes()) {
            throw uploads.tooLarge();
        }
        MultipartUpload.Result upload =
                uploads.read(
                        new StreamRequestContext(
                                request.header("Content-Type"),
                                request.contentLength(),
                                request.body()),
                        id,
                        SubmitJobHandler::uploadSpec);
        try {
            submitter.submit(
                    id,
                    upload.spec(),
                    InputUris.forUpload(id),
                    upload.sourceName(),
                    upload.bytes());
        } catch (RuntimeException e) {
            deleteUpload(id);
            throw e;
        }
        return accepted(id);
    }

    private static JobSpec uploadSpec(String json) {
        JobSpec spec = Specs.parse(json);
        if (spec.input() != null) {
            throw Specs.invalid(
                    "input.uri",
                    "input.uri must not be given with an upload; the uploaded file is the input");
        }
        return spec;
    }

    private Reply fromUri(Request request) throws IOException {
        String id = JobIds.newId();
        request.jobId(id);
        JobSpec spec = Specs.parse(readJson(request));
        if (spec.input() == null) {
            throw Specs.invalid(
                    "input.uri",
                    "input.uri is required in a JSON submission; upload the file as"
                            + " multipart/form-data instead");
        }
        String inputUri;
        try {
            inputUri = InputUris.checkUserUri(spec.input().uri(), allowedInputRoots);
        } catch (InputNotAllowedException e) {
            throw new ApiException(422, "input_not_allowed", e.getMessage(), "input.uri", null);
        }
        submitter.submit(id, spec, inputUri, null, null);
        return accepted(id);
    }

    private static String readJson(Request request) throws IOException {
        if (request.contentLength() > MAX_JSON_BYTES) {
            throw jsonTooLarge();
        }
        try (InputStream in = request.body()) {
            byte[] data = in.readNBytes(MAX_JSON_BYTES + 1);
            if (data.length > MAX_JSON_BYTES) {
                throw jsonTooLarge();
            }
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private static ApiException jsonTooLarge() {
        return new ApiException(
                413,
                "request_too_large",
                "a JSON job spec may be at most " + MAX_JSON_BYTES + " bytes");
    }

    private static Reply accepted(String id) {
        return Reply.json(202, new Accepted(id, JobStatus.QUEUED))
                .header("Location", "/v1/jobs/" + id);
    }

    private void deleteUpload(String id) {
        String key = BlobKeys.upload(id);
        try {
            blobs.delete(key);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "job {}: could not delete the upload {} of a job that was not accepted",
                    id,
                    blobs.describe(key),
                    e);
        }
    }
}
