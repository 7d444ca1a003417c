package dev.vidprocme.api;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.notify.AllowList;
import dev.vidprocme.notify.CallbackRefusedException;
import dev.vidprocme.notify.CallbackUrls;
import dev.vidprocme.records.JobSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/jobs}: a multipart upload or a JSON spec naming an input URI, optionally under an
 * {@code Idempotency-Key}.
 */
final class SubmitJobHandler implements Handler {
    static final int MAX_JSON_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(SubmitJobHandler.class);

    /** Header on a response that returns the job an earlier request with the same key created. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final IdempotentSubmitter submitter;
    private final MultipartUpload uploads;
    private final BlobStore blobs;
    private final List<Path> allowedInputRoots;
    private final AllowList webhookAllow;

    SubmitJobHandler(
            IdempotentSubmitter submitter,
            MultipartUpload uploads,
            BlobStore blobs,
            List<Path> allowedInputRoots,
            AllowList webhookAllow) {
        this.submitter = submitter;
        this.uploads = uploads;
        this.blobs = blobs;
        this.allowedInputRoots = List.copyOf(allowedInputRoots);
        this.webhookAllow = webhookAllow;
    }

    @Override
    public Reply handle(Request request) throws IOException {
        // Before the body: a bad key must not cost the client an upload.
        String key = IdempotencyKeyHeader.parse(request.headers(IdempotencyKeyHeader.NAME));
        switch (request.mediaType()) {
            case "multipart/form-data":
                return upload(request, key);
            case "application/json":
                return fromUri(request, key);
            default:
                throw new ApiException(
                        415,
                        "unsupported_media_type",
                        "send multipart/form-data (a 'file' part, optional 'spec') or"
                                + " application/json (a spec with input.uri)");
        }
    }

    private Reply upload(Request request, String key) {
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
                        this::uploadSpec);
        String hash =
                key == null
                        ? null
                        : RequestHash.ofUpload(
                                Specs.normalisedJson(upload.spec().withoutInput()),
                                upload.sha256(),
                                upload.bytes());
        IdempotentSubmitter.Outcome outcome;
        try {
            outcome =
                    submitter.submit(
                            new JobSubmitter.Submission(
                                    id,
                                    upload.spec(),
                                    InputUris.forUpload(id),
                                    upload.sourceName(),
                                    upload.bytes(),
                                    null),
                            key,
                            hash);
        } catch (RuntimeException e) {
            deleteUpload(id);
            throw e;
        }
        if (outcome instanceof IdempotentSubmitter.Replayed) {
            // The earlier request's job has its own copy of the same file.
            deleteUpload(id);
        }
        return reply(request, outcome);
    }

    private JobSpec uploadSpec(String json) {
        JobSpec spec = Specs.parse(json);
        if (spec.input() != null) {
            throw Specs.invalid(
                    "input.uri",
                    "input.uri must not be given with an upload; the uploaded file is the input");
        }
        checkCallback(spec);
        return spec;
    }

    /**
     * The DNS half of the callback rules, which the spec parser cannot do: refused here with 422 so
     * the client learns now, not from a silent job. The sender checks again at every delivery.
     */
    private void checkCallback(JobSpec spec) {
        if (spec.callbackUrl() == null) {
            return;
        }
        try {
            CallbackUrls.check(spec.callbackUrl(), webhookAllow);
        } catch (CallbackRefusedException e) {
            throw new ApiException(
                    422, "callback_not_allowed", e.getMessage(), "callbackUrl", null);
        }
    }

    private Reply fromUri(Request request, String key) throws IOException {
        String id = JobIds.newId();
        request.jobId(id);
        JobSpec spec = Specs.parse(readJson(request));
        if (spec.input() == null) {
            throw Specs.invalid(
                    "input.uri",
                    "input.uri is required in a JSON submission; upload the file as"
                            + " multipart/form-data instead");
        }
        checkCallback(spec);
        String inputUri;
        try {
            inputUri = InputUris.checkUserUri(spec.input().uri(), allowedInputRoots);
        } catch (InputNotAllowedException e) {
            throw new ApiException(422, "input_not_allowed", e.getMessage(), "input.uri", null);
        }
        String hash =
                key == null
                        ? null
                        : RequestHash.ofUri(Specs.normalisedJson(spec.withoutInput()), inputUri);
        return reply(
                request,
                submitter.submit(
                        new JobSubmitter.Submission(id, spec, inputUri, null, null, null),
                        key,
                        hash));
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

    /** 202 with the new job, or 200 with the job an earlier request with the same key made. */
    private static Reply reply(Request request, IdempotentSubmitter.Outcome outcome) {
        String id = outcome.job().row().id();
        request.jobId(id);
        if (outcome instanceof IdempotentSubmitter.Replayed) {
            return Reply.json(200, JobView.of(outcome.job()))
                    .header("Location", "/v1/jobs/" + id)
                    .header(REPLAYED_HEADER, "true");
        }
        return Reply.json(202, JobView.of(outcome.job())).header("Location", "/v1/jobs/" + id);
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
