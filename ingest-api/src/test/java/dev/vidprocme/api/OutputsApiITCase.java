package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobStores;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.JobClaim;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.OutputKind;
import dev.vidprocme.io.db.OutputRepository;
import dev.vidprocme.io.db.OutputRow;
import dev.vidprocme.io.db.QueuedJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outputs listing and downloads over HTTP against real PostgreSQL and a local blob store, and
 * the submission-time callback URL check. No Kafka: nothing here reaches the queue.
 */
class OutputsApiITCase {
    private static final String TOKEN = "outputs-it-token-0123456789";

    @TempDir static Path tmp;
    private static EmbeddedPostgres postgres;
    private static Database database;
    private static BlobStore blobs;
    private static ApiConfig config;
    private static IngestApi api;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        String blobUri = tmp.resolve("blobs").toUri().toString();
        config =
                ApiConfig.builder()
                        .apiToken(TOKEN)
                        .blobStoreUri(blobUri)
                        .db(db)
                        .kafkaBootstrap("127.0.0.1:" + closedPort())
                        .enqueueTimeout(Duration.ofSeconds(2))
                        .outputUrlTtl(Duration.ofMinutes(10))
                        .workerThreads(2)
                        .build();
        api = IngestApi.start(config);
        database = Database.connect(db, 2, "outputs-it");
        blobs = BlobStores.open(blobUri);
        client = new ApiClient(api.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {api, blobs, database, postgres}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void listedOutputsAreFetchedThroughTheirUrlsWithoutTheToken() throws Exception {
        String job = jobWithOutputs();

        HttpResponse<byte[]> r = client.get("/v1/jobs/" + job + "/outputs");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode items = ApiClient.json(r).get("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("name").asText()).isEqualTo("480p.mp4");
        assertThat(items.get(0).get("kind").asText()).isEqualTo("rendition");
        assertThat(items.get(1).get("name").asText()).isEqualTo("hls/master.m3u8");
        assertThat(items.get(1).get("kind").asText()).isEqualTo("playlist");
        assertThat(items.get(2).get("kind").asText()).isEqualTo("poster");

        ApiClient anonymous = client.anonymous();
        for (JsonNode item : items) {
            String url = item.get("url").asText();
            assertThat(url).startsWith(api.baseUrl() + "/v1/jobs/" + job + "/outputs/");
            HttpResponse<byte[]> body = anonymous.get(url);
            assertThat(body.statusCode()).as(url).isEqualTo(200);
            assertThat(body.headers().firstValue("Content-Type"))
                    .hasValue(item.get("contentType").asText());
            assertThat((long) body.body().length).isEqualTo(item.get("bytes").asLong());
            assertThat(body.body()).isEqualTo(content(item.get("name").asText()));
        }
    }

    @Test
    void rangeRequestsGetTheSlice() throws Exception {
        String job = jobWithOutputs();
        String url = url(job, 0);

        HttpResponse<byte[]> part =
                client.anonymous()
                        .exchange(
                                HttpRequest.newBuilder(URI.create(url))
                                        .header("Range", "bytes=10-19"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range"))
                .hasValue("bytes 10-19/" + content("480p.mp4").length);
        assertThat(part.body())
                .isEqualTo(java.util.Arrays.copyOfRange(content("480p.mp4"), 10, 20));

        HttpResponse<byte[]> tail =
                client.anonymous()
                        .exchange(
                                HttpRequest.newBuilder(URI.create(url))
                                        .header("Range", "bytes=-5"));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).hasSize(5);

        HttpResponse<byte[]> beyond =
                client.anonymous()
                        .exchange(
                                HttpRequest.newBuilder(URI.create(url))
                                        .header("Range", "bytes=99999-"));
        assertError(beyond, 416, "range_not_satisfiable");
    }

    @Test
    void tamperedExpiredOrUnlistedOutputsAreRefused() throws Exception {
        String job = jobWithOutputs();
        String url = url(job, 0);
        ApiClient anonymous = client.anonymous();
        String sig = URI.create(url).getQuery().replaceAll(".*sig=", "");
        String flipped = (sig.charAt(0) == 'a' ? "b" : "a") + sig.substring(1);

        assertError(anonymous.get(url.replace(sig, flipped)), 403, "forbidden");
        assertError(anonymous.get(url.replace("480p.mp4", "720p.mp4")), 403, "forbidden");
        assertError(anonymous.get(url.replaceAll("exp=\\d+", "exp=99999999999")), 403, "forbidden");
        assertError(
                anonymous.get(api.baseUrl() + OutputUrlSigner.path(job, "480p.mp4")),
                401,
                "unauthorized");
        OutputUrlSigner signer =
                new OutputUrlSigner(
                        config.frameUrlKey(), config.outputUrlTtl(), java.time.Clock.systemUTC());
        long past = Instant.now().getEpochSecond() - 10;
        String expired =
                api.baseUrl()
                        + OutputUrlSigner.path(job, "480p.mp4")
                        + "?exp="
                        + past
                        + "&sig="
                        + signer.sign(job, "480p.mp4", past);
        assertThat(assertError(anonymous.get(expired), 403, "forbidden").toString())
                .contains("expired");

        // A blob that exists but is not a listed output is not reachable, signed or not.
        blobs.put(BlobKeys.upload(job), "secret source".getBytes(StandardCharsets.UTF_8));
        long exp = Instant.now().getEpochSecond() + 600;
        String other = "..%2F..%2Fuploads%2F" + job + "%2Fsource";
        assertError(client.get("/v1/jobs/" + job + "/outputs/" + other), 404, "not_found");
        assertError(
                anonymous.get(
                        api.baseUrl()
                                + OutputUrlSigner.path(job, "source")
                                + "?exp="
                                + exp
                                + "&sig="
                                + signer.sign(job, "source", exp)),
                404,
                "not_found");
        assertError(
                anonymous.get(api.baseUrl() + "/v1/jobs/" + job + "/outputs"), 401, "unauthorized");
        assertError(client.get("/v1/jobs/" + UUID.randomUUID() + "/outputs"), 404, "not_found");
    }

    @Test
    void callbackUrlsReachingInternalAddressesAreRefusedAtSubmission() throws Exception {
        for (String url :
                List.of(
                        "http://127.0.0.1:9/hook",
                        "http://localhost/hook",
                        "http://[::1]/hook",
                        "http://169.254.169.254/latest",
                        "http://10.0.0.8/hook")) {
            HttpResponse<byte[]> r =
                    client.postJson(
                            "/v1/jobs",
                            "{\"input\":{\"uri\":\"https://example.com/v.mp4\"},\"callbackUrl\":\""
                                    + url
                                    + "\"}");
            JsonNode e = assertError(r, 422, "callback_not_allowed");
            assertThat(e.get("error").get("field").asText()).as(url).isEqualTo("callbackUrl");
        }
        JsonNode e =
                assertError(
                        client.postJson(
                                "/v1/jobs",
                                "{\"input\":{\"uri\":\"https://example.com/v.mp4\"},"
                                        + "\"callbackUrl\":\"ftp://example.com/x\"}"),
                        422,
                        "invalid_spec");
        assertThat(e.get("error").get("field").asText()).isEqualTo("callbackUrl");
    }

    private static String url(String job, int index) throws Exception {
        return ApiClient.json(client.get("/v1/jobs/" + job + "/outputs"))
                .get("items")
                .get(index)
                .get("url")
                .asText();
    }

    private static String jobWithOutputs() throws Exception {
        String id = UUID.randomUUID().toString();
        new JobRepository(database.dataSource())
                .insertQueued(
                        new QueuedJob(id, 5, "{}", "file:///srv/v.mp4", null, null, null),
                        JobClaim.NONE);
        List<OutputRow> rows =
                List.of(
                        row(id, "480p.mp4", OutputKind.RENDITION, "video/mp4", "480p"),
                        row(
                                id,
                                "hls/master.m3u8",
                                OutputKind.PLAYLIST,
                                "application/vnd.apple.mpegurl",
                                null),
                        row(id, "poster.jpg", OutputKind.POSTER, "image/jpeg", null));
        for (OutputRow r : rows) {
            blobs.put(r.blobKey(), content(r.name()));
        }
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            OutputRepository.upsert(c, rows);
            // Twice in one transaction: the upsert is idempotent on (job, name).
            OutputRepository.upsert(c, rows);
            c.commit();
        }
        return id;
    }

    private static OutputRow row(
            String job, String name, OutputKind kind, String type, String rendition) {
        return OutputRow.of(job, name, kind, type, content(name).length, rendition);
    }

    private static byte[] content(String name) {
        return ("bytes of " + name + " ").repeat(20).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode assertError(HttpResponse<byte[]> r, int status, String code)
            throws IOException {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(text).isEqualTo(status);
        JsonNode json = ApiClient.json(r);
        assertThat(json.get("error").get("code").asText()).as(text).isEqualTo(code);
        return json;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
