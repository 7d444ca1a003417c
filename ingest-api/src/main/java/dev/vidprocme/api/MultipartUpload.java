package dev.vidprocme.api;

import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobTooLargeException;
import dev.vidprocme.records.JobSpec;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code multipart/form-data} submission: the {@code file} part is streamed straight into
 * the blob store (never held in memory), the optional {@code spec} part is checked as soon as it
 * arrives. On any failure the stored upload is deleted again.
 */
public final class MultipartUpload {
    /** Largest accepted {@code spec} part. */
    public static final int MAX_SPEC_BYTES = 64 * 1024;

    /** Room for boundaries, part headers and the spec on top of the file itself. */
    public static final long FRAMING_ALLOWANCE = 1024 * 1024;

    private static final int MAX_PARTS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(MultipartUpload.class);

    /**
     * What the request carried.
     *
     * @param sha256 lower-case hex SHA-256 of the file, computed while it streamed to the store
     */
    public record Result(JobSpec spec, String sourceName, long bytes, String sha256) {}

    /**
     * Validates the spec text (null when the part is absent); throws {@link ApiException} when bad.
     */
    @FunctionalInterface
    public interface SpecCheck {
        JobSpec check(String json);
    }

    private final BlobStore blobs;
    private final long maxUploadBytes;

    public MultipartUpload(BlobStore blobs, long maxUploadBytes) {
        this.blobs = blobs;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** Largest request body worth reading for this upload limit. */
    public long maxRequestBytes() {
        return maxUploadBytes + FRAMING_ALLOWANCE;
    }

    /**
     * Reads the whole request and stores the file under {@link BlobKeys#upload(String)}.
     *
     * @throws ApiException 400 (malformed, missing or extra parts), 413, 422, or 503 when the store
     *     fails
     */
    public Result read(StreamRequestContext request, String jobId, SpecCheck specCheck) {
        String key = BlobKeys.upload(jobId);
        boolean stored = false;
        boolean ok = false;
        try {
            FileItemInputIterator parts =
                    new StreamingFileUpload(maxRequestBytes()).getItemIterator(request);
            JobSpec spec = null;
            boolean specSeen = false;
            String sourceName = null;
            long bytes = -1;
            MessageDigest digest = RequestHash.sha256();
            int count = 0;
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (++count > MAX_PARTS) {
                    throw ApiException.badRequest(
                            "too many parts; send 'file' and optionally 'spec'");
                }
                String name = part.getFieldName() == null ? "" : part.getFieldName();
                switch (name) {
                    case "file":
                        if (stored) {
                            throw ApiException.badRequest("more than one 'file' part");
                        }
                        // Flag first: a failing put may still leave something to clean up.
                        stored = true;
                        try (InputStream in =
                                new DigestInputStream(
                                        new ClientStream(part.getInputStream()), digest)) {
                            bytes = blobs.put(key, in, maxUploadBytes);
                        }
                        sourceName = FileNames.sanitize(part.getName());
                        break;
                    case "spec":
                        if (specSeen) {
                            throw ApiException.badRequest("more than one 'spec' part");
                        }
                        specSeen = true;
                        spec = specCheck.check(readSpec(part));
                        break;
                    default:
                        throw ApiException.badRequest(
                                "unexpected part '"
                                        + FileNames.sanitize(name)
                                        + "'; send 'file' and optionally 'spec'");
                }
            }
            if (!stored) {
                throw new ApiException(
                        400,
                        "missing_file",
                        "the multipart body has no 'file' part; send the video as form field"
                                + " 'file'");
            }
            if (!specSeen) {
                spec = specCheck.check(null);
            }
            ok = true;
            return new Result(spec, sourceName, bytes, HexFormat.of().formatHex(digest.digest()));
        } catch (BlobTooLargeException | FileUploadSizeException e) {
            throw tooLarge();
        } catch (FileUploadException e) {
            throw ApiException.badRequest("malformed multipart body: " + e.getMessage());
        } catch (ClientReadException e) {
            throw ApiException.badRequest(
                    "the upload was interrupted: " + e.getCause().getMessage());
        } catch (IOException e) {
            throw ApiException.unavailable("could not store the upload for job " + jobId, e);
        } finally {
            if (stored && !ok) {
                deleteQuietly(key, jobId);
            }
        }
    }

    /** 413 with the limit in the message. */
    public ApiException tooLarge() {
        return new ApiException(
                413,
                "upload_too_large",
                "the upload exceeds the limit of " + maxUploadBytes + " bytes");
    }

    private static String readSpec(FileItemInput part) throws IOException {
        try (InputStream in = new ClientStream(part.getInputStream())) {
            byte[] data = in.readNBytes(MAX_SPEC_BYTES + 1);
            if (data.length > MAX_SPEC_BYTES) {
                throw new ApiException(
                        413,
                        "request_too_large",
                        "the 'spec' part exceeds " + MAX_SPEC_BYTES + " bytes");
            }
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private void deleteQuietly(String key, String jobId) {
        try {
            blobs.delete(key);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "job {}: could not delete the rejected upload {}",
                    jobId,
                    blobs.describe(key),
                    e);
        }
    }

    /** Marks read failures as the client's (the body broke off), as opposed to the store's. */
    static final class ClientReadException extends IOException {
        private static final long serialVersionUID = 1L;

        ClientReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Wraps reads of the request body so their failures can be told apart from the store's. */
    private static final class ClientStream extends FilterInputStream {
        ClientStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (FileUploadException e) {
                throw e;
            } catch (IOException e) {
                throw new ClientReadException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (FileUploadException e) {
                throw e;
            } catch (IOException e) {
                throw new ClientReadException(e);
            }
        }
    }
}
