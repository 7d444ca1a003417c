package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.embedded.EmbeddedKafka;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobStores;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.VideoInfo;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API over HTTP against a real Kafka broker and PostgreSQL, started once for the class. */
class IngestApiITCase {
    private static final String TOKEN = "it-token-0123456789abcdef";
    private static final String TOPIC = "ingest-it.jobs";
    private static final long SMALL_LIMIT = 1024 * 1024;
    private static final Pattern UUID_IN_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final byte[] JPEG = {
        (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9
    };

    @TempDir static Path tmp;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;
    private static Database database;
    private static Path blobRoot;
    private static Path smallBlobRoot;
    private static Path allowedRoot;
    private static Path outsideRoot;
    private static ApiConfig config;
    private static IngestApi api;
    private static IngestApi smallApi;
    private static IngestApi noKafkaApi;
    private static ApiClient client;

    @BeforeAll
    static void startServices() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(1, TOPIC);
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        blobRoot = Files.createDirectories(tmp.resolve("blobs"));
        smallBlobRoot = Files.createDirectories(tmp.resolve("small-blobs"));
        allowedRoot = Files.createDirectories(tmp.resolve("allowed"));
        outsideRoot = Files.createDirectories(tmp.resolve("outside"));
        config =
                ApiConfig.builder()
                        .apiToken(TOKEN)
                        .blobStoreUri(blobRoot.toUri().toString())
                        .db(db)
                        .kafkaBootstrap(kafka.bootstrapServers())
                        .jobsTopic(TOPIC)
                        .allowedInputRoots(List.of(allowedRoot))
                        .maxUploadBytes(64L * 1024 * 1024)
                        .workerThreads(4)
                        .build();
        api = IngestApi.start(config);
        smallApi =
                IngestApi.start(
                        ApiConfig.builder()
                                .apiToken(TOKEN)
                                .blobStoreUri(smallBlobRoot.toUri().toString())
                                .db(db)
                                .kafkaBootstrap(kafka.bootstrapServers())
                                .jobsTopic(TOPIC)
                                .maxUploadBytes(SMALL_LIMIT)
                                .workerThreads(2)
                                .build());
        noKafkaApi =
                IngestApi.start(
                        ApiConfig.builder()
                                .apiToken(TOKEN)
                                .blobStoreUri(tmp.resolve("no-kafka-blobs").toUri().toString())
                                .db(db)
                                .kafkaBootstrap("127.0.0.1:" + closedPort())
                                .jobsTopic(TOPIC)
                                .allowedInputRoots(List.of(allowedRoot))
                                .enqueueTimeout(Duration.ofSeconds(2))
                                .workerThreads(2)
                                .build());
        database = Database.connect(db, 2, "ingest-it");
        client = new ApiClient(api.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stopServices() {
        for (AutoCloseable c :
                new AutoCloseable[] {api, smallApi, noKafkaApi, database, kafka, postgres}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // Keep closing the rest; a leak here only affects this JVM.
                }
            }
        }
    }

    // ---- submission ----

    @Test
    void uploadIsAcceptedRecordedAndEnqueued() throws Exception {
        MultipartBody body =
                new MultipartBody()
                        .field(
                                "spec",
                                "{\"priority\": 7, \"frames\": {\"fps\": 1, \"quality\": 80}}")
                        .file("file", "holiday clip.mp4", new byte[] {1, 2, 3, 4, 5});
        HttpResponse<byte[]> r = client.postMultipart("/v1/jobs", body, false);
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode json = ApiClient.json(r);
        String id = json.get("id").asText();
        assertThat(id).matches(UUID_IN_TEXT);
        assertThat(json.get("status").asText()).isEqualTo("QUEUED");
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);

        JobRequest request = awaitJobRequest(id);
        assertThat(request.jobId()).isEqualTo(id);
        assertThat(request.inputUri()).isEqualTo("blob:" + BlobKeys.upload(id));
        assertThat(request.spec().input()).isNull();
        assertThat(request.spec().priority()).isEqualTo(7);
        assertThat(request.spec().frames().fps()).isEqualTo(1.0);
        assertThat(request.spec().frames().quality()).isEqualTo(80);
        assertThat(request.submittedAtMs())
                .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());

        JsonNode job = ApiClient.json(client.get("/v1/jobs/" + id));
        assertThat(job.get("status").asText()).isEqualTo("QUEUED");
        assertThat(job.get("priority").asInt()).isEqualTo(7);
        assertThat(job.get("source").get("name").asText()).isEqualTo("holiday clip.mp4");
        assertThat(job.get("source").get("bytes").asLong()).isEqualTo(5);
        assertThat(Files.readAllBytes(blobRoot.resolve(BlobKeys.upload(id))))
                .containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void bigUploadIsStreamedIntoTheBlobStore() throws Exception {
        long size = 50L * 1000 * 1000;
        MultipartBody body = new MultipartBody().generatedFile("big.mp4", size, 42);
        // Chunked: the client itself never holds the body; the server cannot size anything up
        // front.
        HttpResponse<byte[]> r = client.postMultipart("/v1/jobs", body, true);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        String id = ApiClient.json(r).get("id").asText();
        Path stored = blobRoot.resolve(BlobKeys.upload(id));
        assertThat(Files.size(stored)).isEqualTo(size);
        assertThat(GeneratedStream.sha256(Files.newInputStream(stored)))
                .isEqualTo(GeneratedStream.sha256(size, 42));
        assertThat(ApiClient.json(client.get("/v1/jobs/" + id)).get("source").get("bytes").asLong())
                .isEqualTo(size);
    }

    @Test
    void zeroByteUploadIsAccepted() throws Exception {
        HttpResponse<byte[]> r =
                client.postMultipart(
                        "/v1/jobs",
                        new MultipartBody().file("file", "empty.mp4", new byte[0]),
                        false);
        assertThat(r.statusCode()).isEqualTo(202);
        String id = ApiClient.json(r).get("id").asText();
        assertThat(ApiClient.json(client.get("/v1/jobs/" + id)).get("source").get("bytes").asLong())
                .isZero();
        assertThat(awaitJobRequest(id).inputUri()).isEqualTo("blob:" + BlobKeys.upload(id));
    }

    @Test
    void hostileFileNameStaysADisplayName() throws Exception {
        HttpResponse<byte[]> r =
                client.postMultipart(
                        "/v1/jobs",
                        new MultipartBody().file("file", "../../etc/passwd", new byte[] {7}),
                        false);
        assertThat(r.statusCode()).isEqualTo(202);
        String id = ApiClient.json(r).get("id").asText();
        assertThat(ApiClient.json(client.get("/v1/jobs/" + id)).get("source").get("name").asText())
                .isEqualTo("passwd");
        assertThat(blobRoot.resolve(BlobKeys.upload(id))).exists();
        try (Stream<Path> files = Files.walk(tmp)) {
            assertThat(files.filter(p -> p.getFileName().toString().equals("passwd"))).isEmpty();
        }
    }

    @Test
    void jsonSubmissionOfAnAllowedFileStoresTheCanonicalUri() throws Exception {
        Path video = Files.write(allowedRoot.resolve("clip.mp4"), new byte[] {1});
        String uri = "file://" + allowedRoot + "/./sub/../clip.mp4";
        Files.createDirectories(allowedRoot.resolve("sub"));
        HttpResponse<byte[]> r =
                client.postJson(
                        "/v1/jobs",
                        "{\"input\": {\"uri\": \""
                                + uri
                                + "\"}, \"priority\": 2, \"frames\": {\"maxWidth\": 320}}");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        String id = ApiClient.json(r).get("id").asText();
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);
        JobRequest request = awaitJobRequest(id);
        assertThat(request.inputUri()).isEqualTo(video.toRealPath().toUri().toString());
        assertThat(request.spec().input()).isNull();
        assertThat(request.spec().priority()).isEqualTo(2);
        assertThat(request.spec().frames().maxWidth()).isEqualTo(320);
        JsonNode job = ApiClient.json(client.get("/v1/jobs/" + id));
        assertThat(job.has("source")).isFalse();
        assertThat(job.get("priority").asInt()).isEqualTo(2);
        Optional<JobRow> row = new JobRepository(database.dataSource()).find(id);
        assertThat(row)
                .hasValueSatisfying(
                        j -> {
                            assertThat(j.inputUri()).isEqualTo(request.inputUri());
                            assertThat(j.specJson()).doesNotContain("input");
                        });
    }

    // ---- 4xx on submission ----

    @Test
    void missingFilePart() throws Exception {
        HttpResponse<byte[]> r =
                client.postMultipart("/v1/jobs", new MultipartBody().field("spec", "{}"), false);
        assertError(r, 400, "missing_file");
    }

    @Test
    void unknownSpecFieldIsNamed() throws Exception {
        Set<String> before = uploads(blobRoot);
        // The spec comes after the file, so the upload is already stored when the spec is refused.
        JsonNode upload =
                assertError(
                        client.postMultipart(
                                "/v1/jobs",
                                new MultipartBody()
                                        .file("file", "a.mp4", new byte[1000])
                                        .field("spec", "{\"frames\": {\"fpz\": 2}}"),
                                false),
                        422,
                        "invalid_spec");
        assertThat(upload.get("error").get("message").asText()).contains("frames.fpz");
        assertThat(upload.get("error").get("field").asText()).isEqualTo("frames.fpz");
        JsonNode json =
                assertError(
                        client.postJson(
                                "/v1/jobs",
                                "{\"input\": {\"uri\": \"file:///x\"}, \"frames\": {\"fpz\": 2}}"),
                        422,
                        "invalid_spec");
        assertThat(json.get("error").get("message").asText()).contains("frames.fpz");
        assertNoUploadsLeft(blobRoot, before);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"priority\": 10                 | priority",
                "\"priority\": -1                 | priority",
                "\"frames\": {\"quality\": 0}     | frames.quality",
                "\"frames\": {\"quality\": 101}   | frames.quality",
                "\"frames\": {\"fps\": 0}         | frames.fps",
                "\"frames\": {\"fps\": 500}       | frames.fps",
                "\"frames\": {\"maxWidth\": 8}    | frames.maxWidth",
                "\"frames\": {\"maxWidth\": 10000}| frames.maxWidth",
                "\"priority\": \"high\"           | priority",
            })
    void outOfRangeSpecValues(String member, String field) throws Exception {
        Files.write(allowedRoot.resolve("range.mp4"), new byte[] {1});
        String json =
                "{\"input\": {\"uri\": \"file://" + allowedRoot + "/range.mp4\"}, " + member + "}";
        JsonNode viaJson = assertError(client.postJson("/v1/jobs", json), 422, "invalid_spec");
        assertThat(viaJson.get("error").get("field").asText()).isEqualTo(field);
        assertThat(viaJson.get("error").get("message").asText()).contains(field);
        JsonNode viaUpload =
                assertError(
                        client.postMultipart(
                                "/v1/jobs",
                                new MultipartBody()
                                        .file("file", "a.mp4", new byte[1])
                                        .field("spec", "{" + member + "}"),
                                false),
                        422,
                        "invalid_spec");
        assertThat(viaUpload.get("error").get("field").asText()).isEqualTo(field);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://example.com/clip.mp4",
                "ftp://example.com/clip.mp4",
                "data:video/mp4;base64,AAAA",
                "clip.mp4"
            })
    void disallowedSchemes(String uri) throws Exception {
        JsonNode json =
                assertError(
                        client.postJson("/v1/jobs", "{\"input\": {\"uri\": \"" + uri + "\"}}"),
                        422,
                        "input_not_allowed");
        assertThat(json.get("error").get("message").asText()).contains("not allowed");
    }

    @Test
    void gcsWithoutGcsIsNotAllowed() throws Exception {
        JsonNode json =
                assertError(
                        client.postJson(
                                "/v1/jobs", "{\"input\": {\"uri\": \"gs://bucket/clip.mp4\"}}"),
                        422,
                        "input_not_allowed");
        assertThat(json.get("error").get("message").asText()).contains("gs://");
    }

    @Test
    void filesOutsideTheAllowedRootAreNotAllowed() throws Exception {
        Path secret = Files.write(outsideRoot.resolve("secret.mp4"), new byte[] {1});
        Path link = allowedRoot.resolve("link.mp4");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, secret);
        for (String uri :
                List.of(
                        secret.toUri().toString(),
                        "file://" + allowedRoot + "/../outside/secret.mp4",
                        link.toUri().toString(),
                        "file://" + allowedRoot + "/missing.mp4",
                        "file:///etc/passwd")) {
            JsonNode json =
                    assertError(
                            client.postJson("/v1/jobs", "{\"input\": {\"uri\": \"" + uri + "\"}}"),
                            422,
                            "input_not_allowed");
            assertThat(json.get("error").get("field").asText()).isEqualTo("input.uri");
        }
    }

    @Test
    void inputUriInAnUploadSpecOrMissingFromAJsonSpec() throws Exception {
        JsonNode upload =
                assertError(
                        client.postMultipart(
                                "/v1/jobs",
                                new MultipartBody()
                                        .field(
                                                "spec",
                                                "{\"input\": {\"uri\": \"file:///etc/passwd\"}}")
                                        .file("file", "a.mp4", new byte[1]),
                                false),
                        422,
                        "invalid_spec");
        assertThat(upload.get("error").get("field").asText()).isEqualTo("input.uri");
        JsonNode json =
                assertError(client.postJson("/v1/jobs", "{\"priority\": 3}"), 422, "invalid_spec");
        assertThat(json.get("error").get("field").asText()).isEqualTo("input.uri");
    }

    @Test
    void malformedRequests() throws Exception {
        assertError(client.postJson("/v1/jobs", "{\"input\": "), 400, "bad_request");
        assertError(client.postJson("/v1/jobs", "{} trailing"), 400, "bad_request");
        assertError(
                client.send(
                        "POST",
                        "/v1/jobs",
                        "text/plain",
                        HttpRequest.BodyPublishers.ofString("hi")),
                415,
                "unsupported_media_type");
        assertError(
                client.send("POST", "/v1/jobs", null, HttpRequest.BodyPublishers.ofString("hi")),
                415,
                "unsupported_media_type");
        // No boundary line anywhere: a multipart body without parts, so without the file.
        assertError(
                client.send(
                        "POST",
                        "/v1/jobs",
                        "multipart/form-data; boundary=xyz",
                        HttpRequest.BodyPublishers.ofString("not multipart at all")),
                400,
                "missing_file");
        assertError(
                client.send(
                        "POST",
                        "/v1/jobs",
                        "multipart/form-data",
                        HttpRequest.BodyPublishers.ofString("--xyz\r\n")),
                400,
                "bad_request");
        assertError(
                client.postJson(
                        "/v1/jobs", "{\"priority\": 1, \"x\": \"" + "y".repeat(70_000) + "\"}"),
                413,
                "request_too_large");
    }

    @Test
    void oversizedUploadIsRefusedAndLeavesNoBlob() throws Exception {
        ApiClient small = new ApiClient(smallApi.baseUrl(), TOKEN);
        Set<String> before = uploads(smallBlobRoot);
        // Streamed (no Content-Length): refused once the byte count passes the limit.
        assertError(
                small.postMultipart(
                        "/v1/jobs",
                        new MultipartBody().generatedFile("big.mp4", 3 * SMALL_LIMIT, 1),
                        true),
                413,
                "upload_too_large");
        // Announced: refused from Content-Length before reading the body.
        assertError(
                small.postMultipart(
                        "/v1/jobs",
                        new MultipartBody().generatedFile("big.mp4", 3 * SMALL_LIMIT, 1),
                        false),
                413,
                "upload_too_large");
        assertNoUploadsLeft(smallBlobRoot, before);
        // At the limit it is still fine.
        HttpResponse<byte[]> ok =
                small.postMultipart(
                        "/v1/jobs",
                        new MultipartBody().generatedFile("edge.mp4", SMALL_LIMIT, 1),
                        true);
        assertThat(ok.statusCode()).isEqualTo(202);
    }

    // ---- auth, ids, methods ----

    @Test
    void v1NeedsTheBearerToken() throws Exception {
        String someJob = "/v1/jobs/123e4567-e89b-12d3-a456-426614174000";
        for (ApiClient c :
                List.of(
                        client.anonymous(),
                        client.withToken("wrong-token"),
                        client.withToken(TOKEN + "x"))) {
            HttpResponse<byte[]> r = c.get(someJob);
            assertError(r, 401, "unauthorized");
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertError(c.postJson("/v1/jobs", "{}"), 401, "unauthorized");
            assertError(c.get("/v1/nothing-here"), 401, "unauthorized");
            assertError(
                    c.send("DELETE", "/v1/jobs", null, HttpRequest.BodyPublishers.noBody()),
                    401,
                    "unauthorized");
        }
        assertError(client.get("/v1/nothing-here"), 404, "not_found");
    }

    @Test
    void idsMustBeUuidsAndExist() throws Exception {
        JsonNode bad = assertError(client.get("/v1/jobs/not-a-uuid"), 400, "invalid_parameter");
        assertThat(bad.get("error").get("field").asText()).isEqualTo("id");
        assertError(
                client.get("/v1/jobs/123e4567-e89b-12d3-a456-42661417400"),
                400,
                "invalid_parameter");
        assertError(client.get("/v1/jobs/123e4567-e89b-12d3-a456-426614174000"), 404, "not_found");
        assertError(
                client.get("/v1/jobs/123e4567-e89b-12d3-a456-426614174000/frames"),
                404,
                "not_found");
        assertError(client.get("/v1/jobs/not-a-uuid/frames"), 400, "invalid_parameter");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<byte[]> r =
                client.send("DELETE", "/v1/jobs", null, HttpRequest.BodyPublishers.noBody());
        assertError(r, 405, "method_not_allowed");
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertError(
                client.anonymous()
                        .send("POST", "/healthz", null, HttpRequest.BodyPublishers.noBody()),
                405,
                "method_not_allowed");
    }

    // ---- job status ----

    @Test
    void jobShapeFollowsTheTracker() throws Exception {
        String id = JobIds.newId();
        JobRepository jobs = new JobRepository(database.dataSource());
        jobs.insertQueued(id, 4, "{\"priority\":4}", "file:///srv/v.mp4", null, null);
        JsonNode queued = ApiClient.json(client.get("/v1/jobs/" + id));
        assertThat(queued.get("status").asText()).isEqualTo("QUEUED");
        assertThat(queued.has("video")).isFalse();
        assertThat(queued.has("error")).isFalse();
        assertThat(queued.has("damage")).isFalse();
        assertThat(queued.has("source")).isFalse();
        assertThat(Instant.parse(queued.get("createdAt").asText()))
                .isBefore(Instant.now().plusSeconds(60));
        Instant.parse(queued.get("updatedAt").asText());

        VideoInfo video =
                new VideoInfo("mov,mp4,m4a,3gp,3g2,mj2", "h264", 1280, 720, 25.0, 8_000, 90, 200);
        try (Connection c = database.connection()) {
            JobRepository.apply(
                    c,
                    new JobUpdate(
                            id,
                            1,
                            JobStatus.RUNNING,
                            0.25,
                            video,
                            50,
                            null,
                            null,
                            "broken packet at 3.2 s",
                            System.currentTimeMillis()));
        }
        JsonNode running = ApiClient.json(client.get("/v1/jobs/" + id));
        assertThat(running.get("status").asText()).isEqualTo("RUNNING");
        assertThat(running.get("progress").asDouble()).isEqualTo(0.25);
        assertThat(running.get("frames").get("extracted").asLong()).isEqualTo(50);
        assertThat(running.get("damage").asText()).isEqualTo("broken packet at 3.2 s");
        JsonNode v = running.get("video");
        assertThat(v.get("durationMs").asLong()).isEqualTo(8_000);
        assertThat(v.get("width").asInt()).isEqualTo(1280);
        assertThat(v.get("height").asInt()).isEqualTo(720);
        assertThat(v.get("fps").asDouble()).isEqualTo(25.0);
        assertThat(v.get("codec").asText()).isEqualTo("h264");
        assertThat(v.get("rotation").asInt()).isEqualTo(90);
        assertThat(running.has("error")).isFalse();

        jobs.markFailed(id, FailureCode.DECODE_FAILED, "no frame could be decoded");
        JsonNode failed = ApiClient.json(client.get("/v1/jobs/" + id.toUpperCase()));
        assertThat(failed.get("id").asText()).isEqualTo(id);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").get("code").asText()).isEqualTo("decode_failed");
        assertThat(failed.get("error").get("message").asText())
                .isEqualTo("no frame could be decoded");
    }

    // ---- frames ----

    @Test
    void framesArePagedInIndexOrder() throws Exception {
        String id = insertJobWithFrames(5);
        JsonNode page = ApiClient.json(client.get("/v1/jobs/" + id + "/frames?offset=1&limit=2"));
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("items")).hasSize(2);
        JsonNode first = page.get("items").get(0);
        assertThat(first.get("index").asLong()).isEqualTo(1);
        assertThat(first.get("ptsMs").asLong()).isEqualTo(40);
        assertThat(first.get("width").asInt()).isEqualTo(320);
        assertThat(first.get("height").asInt()).isEqualTo(180);
        assertThat(first.get("url").asText())
                .startsWith(api.baseUrl() + "/v1/jobs/" + id + "/frames/1.jpg?exp=");
        assertThat(page.get("items").get(1).get("index").asLong()).isEqualTo(2);

        JsonNode all = ApiClient.json(client.get("/v1/jobs/" + id + "/frames"));
        assertThat(all.get("items")).hasSize(5);
        JsonNode beyond = ApiClient.json(client.get("/v1/jobs/" + id + "/frames?offset=10"));
        assertThat(beyond.get("total").asLong()).isEqualTo(5);
        assertThat(beyond.get("items")).isEmpty();

        for (String q : List.of("limit=0", "limit=1001", "limit=ten", "offset=-1", "offset=x")) {
            JsonNode e =
                    assertError(
                            client.get("/v1/jobs/" + id + "/frames?" + q),
                            400,
                            "invalid_parameter");
            assertThat(e.get("error").get("field").asText())
                    .isEqualTo(q.substring(0, q.indexOf('=')));
        }
    }

    @Test
    void signedFrameUrlWorksWithoutTheHeaderUntilTampered() throws Exception {
        String id = insertJobWithFrames(3);
        String url =
                ApiClient.json(client.get("/v1/jobs/" + id + "/frames"))
                        .get("items")
                        .get(2)
                        .get("url")
                        .asText();
        ApiClient anonymous = client.anonymous();

        HttpResponse<byte[]> image = anonymous.get(url);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(image.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("private"));
        assertThat(image.body()).isEqualTo(frameBytes(2));

        URI parsed = URI.create(url);
        String sig = parsed.getQuery().replaceAll(".*sig=", "");
        String flipped = (sig.charAt(0) == 'a' ? "b" : "a") + sig.substring(1);
        assertError(anonymous.get(url.replace(sig, flipped)), 403, "forbidden");
        assertError(anonymous.get(url.replace("/frames/2.jpg", "/frames/1.jpg")), 403, "forbidden");
        assertError(anonymous.get(url.replaceAll("exp=\\d+", "exp=99999999999")), 403, "forbidden");

        FrameUrlSigner signer =
                new FrameUrlSigner(
                        config.frameUrlKey(), config.frameUrlTtl(), java.time.Clock.systemUTC());
        long past = Instant.now().getEpochSecond() - 10;
        String expired =
                api.baseUrl()
                        + FrameUrlSigner.path(id, 2)
                        + "?exp="
                        + past
                        + "&sig="
                        + signer.sign(id, 2, past);
        JsonNode e = assertError(anonymous.get(expired), 403, "forbidden");
        assertThat(e.get("error").get("message").asText()).contains("expired");

        assertError(anonymous.get(api.baseUrl() + FrameUrlSigner.path(id, 2)), 401, "unauthorized");
        HttpResponse<byte[]> withHeader = client.get(FrameUrlSigner.path(id, 2));
        assertThat(withHeader.statusCode()).isEqualTo(200);
        assertThat(withHeader.body()).isEqualTo(frameBytes(2));

        assertError(client.get(FrameUrlSigner.path(id, 9)), 404, "not_found");
        long exp = Instant.now().getEpochSecond() + 600;
        assertError(
                anonymous.get(
                        api.baseUrl()
                                + FrameUrlSigner.path(id, 9)
                                + "?exp="
                                + exp
                                + "&sig="
                                + signer.sign(id, 9, exp)),
                404,
                "not_found");
        assertError(client.get("/v1/jobs/" + id + "/frames/minus.jpg"), 400, "invalid_parameter");
    }

    // ---- operations ----

    @Test
    void healthAndReadiness() throws Exception {
        HttpResponse<byte[]> health = client.anonymous().get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(health).get("status").asText()).isEqualTo("ok");
        HttpResponse<byte[]> ready = client.anonymous().get("/readyz");
        assertThat(ready.statusCode())
                .as(new String(ready.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(ApiClient.json(ready).get("checks").get("kafka").asText()).isEqualTo("ok");
        assertThat(ApiClient.json(ready).get("checks").get("postgres").asText()).isEqualTo("ok");
    }

    @Test
    void openApiDocumentIsServedWithoutAuth() throws Exception {
        HttpResponse<byte[]> r = client.anonymous().get("/openapi.yaml");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("openapi: 3.1");
    }

    @Test
    void withoutKafkaJobsFailAndReadinessSaysWhy() throws Exception {
        ApiClient c = new ApiClient(noKafkaApi.baseUrl(), TOKEN);
        Files.write(allowedRoot.resolve("nokafka.mp4"), new byte[] {1});
        JsonNode e =
                assertError(
                        c.postJson(
                                "/v1/jobs",
                                "{\"input\": {\"uri\": \"file://"
                                        + allowedRoot
                                        + "/nokafka.mp4\"}}"),
                        503,
                        "unavailable");
        Matcher m = UUID_IN_TEXT.matcher(e.get("error").get("message").asText());
        assertThat(m.find()).isTrue();
        JobRow row = new JobRepository(database.dataSource()).find(m.group()).orElseThrow();
        assertThat(row.status()).isEqualTo(JobStatus.FAILED);
        assertThat(row.errorCode()).isEqualTo("internal");
        assertThat(row.errorMessage()).startsWith("could not enqueue: ");

        HttpResponse<byte[]> ready = c.anonymous().get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = ApiClient.json(ready);
        assertThat(body.get("checks").get("kafka").asText()).isNotEqualTo("ok");
        assertThat(body.get("checks").get("postgres").asText()).isEqualTo("ok");
        assertThat(body.get("error").get("code").asText()).isEqualTo("unavailable");
        assertThat(body.get("error").get("message").asText()).contains("kafka");
        assertThat(c.anonymous().get("/healthz").statusCode()).isEqualTo(200);
    }

    // ---- helpers ----

    private static JsonNode assertError(HttpResponse<byte[]> r, int status, String code)
            throws IOException {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(text).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = ApiClient.json(r);
        assertThat(json.get("error").get("code").asText()).as(text).isEqualTo(code);
        assertThat(json.get("error").get("message").asText()).isNotBlank();
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        return json;
    }

    /**
     * Waits for the job's request on the jobs topic; reads from the start so order does not matter.
     */
    private static JobRequest awaitJobRequest(String jobId) throws Exception {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(TOPIC).stream()
                            .map(i -> new TopicPartition(TOPIC, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key())) {
                        return Json.mapper().readValue(record.value(), JobRequest.class);
                    }
                }
            }
        }
        throw new AssertionError("no request for job " + jobId + " on " + TOPIC + " within 30 s");
    }

    /**
     * A job with {@code n} frames stored the way the pipeline stores them: rows plus JPEG blobs.
     */
    private static String insertJobWithFrames(int n) throws Exception {
        String id = JobIds.newId();
        new JobRepository(database.dataSource())
                .insertQueued(id, 5, "{}", "file:///srv/v.mp4", null, null);
        List<FrameRow> rows = new ArrayList<>();
        try (BlobStore blobs = BlobStores.open(config.blobStoreUri())) {
            // Inserted in reverse so ordering by index is the API's doing.
            for (int i = n - 1; i >= 0; i--) {
                String key = BlobKeys.frame(id, i);
                blobs.put(key, frameBytes(i));
                rows.add(new FrameRow(id, i, i * 40L, 320, 180, frameBytes(i).length, key, 0));
            }
        }
        new FrameRepository(database.dataSource())
                .storeSegment(
                        rows, new SegmentResult(id, 0, n, 0, null, null, 5), 0, (long) n * 40);
        return id;
    }

    private static byte[] frameBytes(int index) {
        byte[] b = JPEG.clone();
        b[4] = (byte) index;
        return b;
    }

    private static Set<String> uploads(Path root) throws IOException {
        Path dir = root.resolve("uploads");
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(Path::toString)
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    private static void assertNoUploadsLeft(Path root, Set<String> before) throws IOException {
        // Tests in a class run one after another, so nothing else adds uploads meanwhile.
        Set<String> now = new java.util.HashSet<>(uploads(root));
        now.removeAll(before);
        assertThat(now).isEmpty();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
