package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.records.JobSpec;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multipart parsing straight into a local blob store, without HTTP. */
class MultipartUploadTest {
    private static final long LIMIT = 4L * 1024 * 1024;

    @TempDir Path storeRoot;
    private LocalBlobStore blobs;
    private MultipartUpload uploads;
    private final String jobId = JobIds.newId();

    @BeforeEach
    void setUp() throws IOException {
        blobs = new LocalBlobStore(storeRoot);
        uploads = new MultipartUpload(blobs, LIMIT);
    }

    @Test
    void streamsTheFileAndChecksTheSpec() throws Exception {
        MultipartBody body =
                new MultipartBody()
                        .field("spec", "{\"priority\": 7, \"frames\": {\"fps\": 2}}")
                        .generatedFile("clip.mp4", 3_000_001, 11);
        MultipartUpload.Result r = read(body, body.stream());
        assertThat(r.bytes()).isEqualTo(3_000_001);
        assertThat(r.sourceName()).isEqualTo("clip.mp4");
        assertThat(r.spec().priority()).isEqualTo(7);
        assertThat(r.spec().frames().fps()).isEqualTo(2.0);
        assertThat(GeneratedStream.sha256(blobs.open(BlobKeys.upload(jobId))))
                .isEqualTo(GeneratedStream.sha256(3_000_001, 11));
    }

    @Test
    void specMayFollowTheFileAndDefaultsWhenAbsent() {
        MultipartBody after =
                new MultipartBody()
                        .file("file", "a.mov", new byte[] {1, 2, 3})
                        .field("spec", "{\"priority\": 1}");
        assertThat(read(after, after.stream()).spec().priority()).isEqualTo(1);
        MultipartBody none = new MultipartBody().file("file", "a.mov", new byte[] {1, 2, 3});
        assertThat(read(none, none.stream()).spec()).isEqualTo(JobSpec.defaults());
    }

    @Test
    void fileBytesReachTheStoreWhileTheRequestIsStillArriving() throws Exception {
        long size = 3L * 1024 * 1024;
        AtomicLong storedMidway = new AtomicLong(-1);
        Path uploadDir = storeRoot.resolve("uploads").resolve(jobId);
        MultipartBody body =
                new MultipartBody()
                        .file(
                                "file",
                                "big.mp4",
                                size,
                                () ->
                                        new FilterInputStream(new GeneratedStream(size, 5)) {
                                            private long sent;

                                            @Override
                                            public int read(byte[] b, int off, int len)
                                                    throws IOException {
                                                // Once most of the body has gone out, look at what
                                                // the store already holds on disk.
                                                if (sent > size * 3 / 4 && storedMidway.get() < 0) {
                                                    storedMidway.set(bytesOnDisk(uploadDir));
                                                }
                                                int n = super.read(b, off, len);
                                                sent += Math.max(0, n);
                                                return n;
                                            }
                                        });
        read(body, body.stream());
        assertThat(storedMidway.get()).isGreaterThan(size / 2);
    }

    @Test
    void zeroByteFileIsAccepted() throws IOException {
        MultipartBody body = new MultipartBody().file("file", "empty.mp4", new byte[0]);
        assertThat(read(body, body.stream()).bytes()).isZero();
        assertThat(blobs.size(BlobKeys.upload(jobId))).isZero();
    }

    @Test
    void hostileFileNameIsOnlyADisplayName() throws IOException {
        MultipartBody body = new MultipartBody().file("file", "../../etc/passwd", new byte[] {9});
        assertThat(read(body, body.stream()).sourceName()).isEqualTo("passwd");
        try (Stream<Path> files = Files.walk(storeRoot)) {
            assertThat(
                            files.filter(Files::isRegularFile)
                                    .map(p -> storeRoot.relativize(p).toString()))
                    .containsExactly("uploads/" + jobId + "/source");
        }
    }

    @Test
    void missingFilePart() {
        MultipartBody body = new MultipartBody().field("spec", "{}");
        assertApiError(body, body.stream(), 400, "missing_file");
        MultipartBody empty = new MultipartBody();
        assertApiError(empty, empty.stream(), 400, "missing_file");
    }

    @Test
    void tooLargeLeavesNothingBehind() throws IOException {
        MultipartBody body = new MultipartBody().generatedFile("big.mp4", LIMIT + 1, 3);
        assertApiError(body, body.stream(), 413, "upload_too_large");
        assertStoreEmpty();
        // The same with the length announced up front.
        MultipartBody announced = new MultipartBody().generatedFile("big.mp4", LIMIT * 2, 3);
        assertApiError(announced, announced.stream(), 413, "upload_too_large");
        assertStoreEmpty();
    }

    @Test
    void exactlyTheLimitIsAccepted() {
        MultipartBody body = new MultipartBody().generatedFile("big.mp4", LIMIT, 3);
        assertThat(read(body, body.stream()).bytes()).isEqualTo(LIMIT);
    }

    @Test
    void badSpecAfterTheFileDeletesTheUpload() throws IOException {
        MultipartBody body =
                new MultipartBody()
                        .file("file", "a.mp4", new byte[100])
                        .field("spec", "{\"frames\": {\"fpz\": 2}}");
        ApiException e = assertApiError(body, body.stream(), 422, "invalid_spec");
        assertThat(e.field()).isEqualTo("frames.fpz");
        assertThat(e.getMessage()).contains("frames.fpz");
        assertStoreEmpty();
    }

    @Test
    void specThatIsNotJsonIsABadRequest() throws IOException {
        MultipartBody body =
                new MultipartBody().field("spec", "{priority: ").file("file", "a.mp4", new byte[1]);
        assertApiError(body, body.stream(), 400, "bad_request");
        assertStoreEmpty();
    }

    @Test
    void truncatedBodyIsABadRequestAndLeavesNothing() throws IOException {
        MultipartBody body = new MultipartBody().generatedFile("a.mp4", 200_000, 1);
        assertApiError(body, body.truncatedStream(), 400, "bad_request");
        assertStoreEmpty();
    }

    @Test
    void unexpectedOrRepeatedPartsAreRefused() throws IOException {
        MultipartBody extra =
                new MultipartBody().file("file", "a.mp4", new byte[1]).field("colour", "red");
        assertApiError(extra, extra.stream(), 400, "bad_request");
        MultipartBody twice =
                new MultipartBody()
                        .file("file", "a.mp4", new byte[1])
                        .file("file", "b.mp4", new byte[1]);
        assertApiError(twice, twice.stream(), 400, "bad_request");
        assertStoreEmpty();
    }

    @Test
    void notMultipartAtAll() {
        StreamRequestContext ctx =
                new StreamRequestContext(
                        "multipart/form-data", 3, new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> uploads.read(ctx, jobId, Specs::parse))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    private MultipartUpload.Result read(MultipartBody body, InputStream in) {
        return uploads.read(
                new StreamRequestContext(body.contentType(), body.length(), in),
                jobId,
                Specs::parse);
    }

    private ApiException assertApiError(
            MultipartBody body, InputStream in, int status, String code) {
        try {
            read(body, in);
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
            return e;
        }
        throw new AssertionError("expected " + status + " " + code);
    }

    private void assertStoreEmpty() throws IOException {
        try (Stream<Path> files = Files.walk(storeRoot)) {
            List<Path> left = files.filter(Files::isRegularFile).toList();
            assertThat(left).isEmpty();
        }
    }

    private static long bytesOnDisk(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path p : files.toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }
}
