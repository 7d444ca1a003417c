package dev.vidprocme.api;

import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.OutputRepository;
import dev.vidprocme.io.db.OutputRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/jobs/{id}/outputs/{name}}: one output streamed from the blob store, to callers
 * with the bearer token or a signed URL. Only names listed in the job's outputs are served, so the
 * name can never lead anywhere else in the store. A single byte range is honoured (players seek).
 */
final class OutputFileHandler implements Handler {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final OutputRepository outputs;
    private final BlobStore blobs;
    private final OutputUrlSigner signer;

    OutputFileHandler(OutputRepository outputs, BlobStore blobs, OutputUrlSigner signer) {
        this.outputs = outputs;
        this.blobs = blobs;
        this.signer = signer;
    }

    @Override
    public Reply handle(Request request) throws IOException {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        String name = request.pathParam("name");
        if (!request.bearerAuthenticated()) {
            signer.verify(id, name, request.query("exp"), request.query("sig"));
        }
        OutputRow row;
        try {
            row = outputs.find(id, name).orElseThrow(() -> notFound(id, name));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
        String key = row.blobKey();
        long size;
        try {
            size = blobs.size(key);
        } catch (NoSuchFileException e) {
            throw notFound(id, name);
        }
        String range = request.header("Range");
        if (range == null) {
            return Reply.stream(200, row.contentType(), size, () -> blobs.open(key))
                    .header("Accept-Ranges", "bytes")
                    .header("Cache-Control", "private, max-age=3600");
        }
        long[] span = span(range, size);
        long start = span[0];
        long length = span[1] - span[0] + 1;
        return Reply.stream(206, row.contentType(), length, () -> slice(key, start, length))
                .header("Accept-Ranges", "bytes")
                .header("Content-Range", "bytes " + start + "-" + span[1] + "/" + size)
                .header("Cache-Control", "private, max-age=3600");
    }

    /** First and last byte of a single range; 416 for anything unsatisfiable or multi-range. */
    static long[] span(String header, long size) {
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw unsatisfiable(size);
        }
        try {
            long first;
            long last;
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0) {
                    throw unsatisfiable(size);
                }
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(m.group(1));
                last =
                        m.group(2).isEmpty()
                                ? size - 1
                                : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
            if (first >= size || first > last) {
                throw unsatisfiable(size);
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            throw unsatisfiable(size);
        }
    }

    private InputStream slice(String key, long start, long length) throws IOException {
        InputStream in = blobs.open(key);
        try {
            in.skipNBytes(start);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return new InputStream() {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(buffer, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    private static ApiException unsatisfiable(long size) {
        return new ApiException(
                416,
                "range_not_satisfiable",
                "send one byte range within the " + size + " bytes, e.g. 'Range: bytes=0-1023'");
    }

    private static ApiException notFound(String id, String name) {
        return ApiException.notFound("job " + id + " has no output '" + name + "'");
    }
}
