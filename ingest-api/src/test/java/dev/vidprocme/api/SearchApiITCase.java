package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.analysis.embed.TextEmbedder;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.db.AnalysisRepository;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.JobClaim;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.QueuedJob;
import dev.vidprocme.records.FrameAnalysis;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /v1/search} and {@code GET /v1/jobs/{id}/frames/{index}/analyses} over HTTP against a
 * real PostgreSQL holding jobs, frames and analyses with real embeddings.
 */
class SearchApiITCase {
    private static final String TOKEN = "search-it-token-0123456789";
    private static final byte[] JPEG = {
        (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, (byte) 0xFF, (byte) 0xD9
    };

    @TempDir static Path tmp;
    private static EmbeddedPostgres postgres;
    private static Database database;
    private static Path blobRoot;
    private static IngestApi api;
    private static ApiClient client;
    private static String station;
    private static String kitchen;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        blobRoot = Files.createDirectories(tmp.resolve("blobs"));
        // Search never touches Kafka: a closed port keeps the broker out of this test.
        api =
                IngestApi.start(
                        ApiConfig.builder()
                                .apiToken(TOKEN)
                                .blobStoreUri(blobRoot.toUri().toString())
                                .db(db)
                                .kafkaBootstrap("127.0.0.1:" + closedPort())
                                .jobsTopic("search-it.jobs")
                                .workerThreads(2)
                                .build());
        database = Database.connect(db, 2, "search-it");
        client = new ApiClient(api.baseUrl(), TOKEN);

        station = job(3);
        kitchen = job(2);
        TextEmbedder e = TextEmbedder.shared();
        new AnalysisRepository(database.dataSource())
                .upsert(
                        List.of(
                                analysis(station, 0, "ocr", "pp-ocrv4", "Platform 4 Leeds", e),
                                analysis(
                                        station,
                                        1,
                                        "caption",
                                        "llava",
                                        "A red train waits at a busy railway station platform",
                                        e),
                                analysis(
                                        station,
                                        2,
                                        "ocr",
                                        "pp-ocrv4",
                                        "Next train to Leeds 10:42",
                                        e),
                                new FrameAnalysis(
                                        station,
                                        2,
                                        FrameAnalysis.STATS,
                                        "",
                                        "{\"brightness\": 0.42}",
                                        "",
                                        null),
                                analysis(
                                        kitchen,
                                        0,
                                        "caption",
                                        "llava",
                                        "A chef chops onions in a restaurant kitchen",
                                        e),
                                analysis(
                                        kitchen,
                                        1,
                                        "ocr",
                                        "pp-ocrv4",
                                        "Leeds Kitchen Supplies Ltd",
                                        e)));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {api, database, postgres}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // Keep closing the rest.
                }
            }
        }
    }

    @Test
    void textSearchFindsFramesAcrossJobsBestFirstWithHighlightsAndWorkingUrls() throws Exception {
        JsonNode items = items(client.get("/v1/search?q=" + enc("leeds train")));

        assertThat(items).hasSize(1);
        JsonNode hit = items.get(0);
        assertThat(hit.get("jobId").asText()).isEqualTo(station);
        assertThat(hit.get("frameIndex").asLong()).isEqualTo(2);
        assertThat(hit.get("ptsMs").asLong()).isEqualTo(1000);
        assertThat(hit.get("analyser").asText()).isEqualTo("ocr");
        assertThat(hit.get("snippet").asText())
                .isEqualTo("Next <mark>train</mark> to <mark>Leeds</mark> 10:42");
        assertThat(hit.get("score").asDouble()).isGreaterThan(0);

        HttpResponse<byte[]> image = client.anonymous().get(hit.get("url").asText());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).containsExactly(JPEG);

        JsonNode leeds = items(client.get("/v1/search?mode=text&q=leeds&limit=10"));
        assertThat(jobsOf(leeds)).containsExactlyInAnyOrder(station, station, kitchen);
    }

    @Test
    void jobIdFiltersAndLimitCuts() throws Exception {
        JsonNode mine = items(client.get("/v1/search?q=leeds&jobId=" + kitchen));
        assertThat(jobsOf(mine)).containsExactly(kitchen);
        assertThat(items(client.get("/v1/search?q=leeds&limit=1"))).hasSize(1);
        assertThat(items(client.get("/v1/search?q=leeds&jobId=" + UUID.randomUUID()))).isEmpty();
    }

    @Test
    void semanticSearchPutsTheParaphraseFirst() throws Exception {
        JsonNode items =
                items(
                        client.get(
                                "/v1/search?mode=semantic&q="
                                        + enc("locomotive at the rail terminal")
                                        + "&jobId="
                                        + station));

        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("frameIndex").asLong()).isEqualTo(1);
        assertThat(items.get(0).get("analyser").asText()).isEqualTo("caption");
        assertThat(items.get(0).get("score").asDouble())
                .isGreaterThan(items.get(1).get("score").asDouble());
        assertThat(items.get(0).get("url").asText())
                .contains("/v1/jobs/" + station + "/frames/1.jpg");
        // The words it shares with the query are marked, as in text mode.
        assertThat(items.get(0).get("snippet").asText()).contains("<mark>at</mark>");

        JsonNode all = items(client.get("/v1/search?mode=SEMANTIC&q=" + enc("cooking food")));
        assertThat(all.get(0).get("jobId").asText()).isEqualTo(kitchen);
        assertThat(all.get(0).get("frameIndex").asLong()).isEqualTo(0);
    }

    @ParameterizedTest
    @CsvSource({
        "'', q",
        "'q=', q",
        "'q=%20%20', q",
        "'q=x&mode=fuzzy', mode",
        "'q=x&limit=0', limit",
        "'q=x&limit=201', limit",
        "'q=x&limit=ten', limit",
        "'q=x&jobId=not-a-uuid', jobId"
    })
    void badParametersAre400sNamingTheParameter(String query, String field) throws Exception {
        HttpResponse<byte[]> r = client.get("/v1/search?" + query);

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = ApiClient.json(r).get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_parameter");
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).contains(field);
    }

    @Test
    void tooLongAQueryIsRefused() throws Exception {
        HttpResponse<byte[]> r = client.get("/v1/search?q=" + "a".repeat(501));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(r).get("error").get("message").asText()).contains("500");
    }

    @Test
    void searchNeedsTheToken() throws Exception {
        assertThat(client.anonymous().get("/v1/search?q=leeds").statusCode()).isEqualTo(401);
        assertThat(
                        client.anonymous()
                                .get("/v1/jobs/" + station + "/frames/2/analyses")
                                .statusCode())
                .isEqualTo(401);
    }

    @Test
    void frameAnalysesListEveryAnalyserWithItsResult() throws Exception {
        HttpResponse<byte[]> r = client.get("/v1/jobs/" + station + "/frames/2/analyses");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode items = ApiClient.json(r).get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("analyser").asText()).isEqualTo("ocr");
        assertThat(items.get(0).get("model").asText()).isEqualTo("pp-ocrv4");
        assertThat(items.get(0).get("result").get("lines").get(0).get("text").asText())
                .isEqualTo("Next train to Leeds 10:42");
        assertThat(items.get(1).get("analyser").asText()).isEqualTo("stats");
        assertThat(items.get(1).get("model").asText()).isEmpty();
        assertThat(items.get(1).get("result").get("brightness").asDouble()).isEqualTo(0.42);

        JsonNode none = ApiClient.json(client.get("/v1/jobs/" + kitchen + "/frames/1/analyses"));
        assertThat(none.get("items")).hasSize(1);
    }

    @Test
    void analysesOfMissingFramesAre404AndBadIndexes400() throws Exception {
        assertThat(client.get("/v1/jobs/" + station + "/frames/9/analyses").statusCode())
                .isEqualTo(404);
        assertThat(client.get("/v1/jobs/" + UUID.randomUUID() + "/frames/0/analyses").statusCode())
                .isEqualTo(404);
        HttpResponse<byte[]> bad = client.get("/v1/jobs/" + station + "/frames/-1/analyses");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(bad).get("error").get("field").asText()).isEqualTo("index");
    }

    private static JsonNode items(HttpResponse<byte[]> r) throws IOException {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return ApiClient.json(r).get("items");
    }

    private static List<String> jobsOf(JsonNode items) {
        List<String> jobs = new ArrayList<>();
        items.forEach(i -> jobs.add(i.get("jobId").asText()));
        return jobs;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static FrameAnalysis analysis(
            String job, long frame, String analyser, String model, String text, TextEmbedder e) {
        String result =
                analyser.equals("ocr")
                        ? "{\"lines\": [{\"text\": \"" + text + "\", \"confidence\": 0.9}]}"
                        : "{\"caption\": \"" + text + "\"}";
        return new FrameAnalysis(job, frame, analyser, model, result, text, e.embed(text));
    }

    /** A queued job with frames 0..count-1 at 0, 0.5, 1 s ..., their JPEGs in the blob store. */
    private static String job(int count) throws Exception {
        String id = UUID.randomUUID().toString();
        new JobRepository(database.dataSource())
                .insertQueued(
                        new QueuedJob(id, 5, "{}", "file:///srv/v.mp4", null, null, null),
                        JobClaim.NONE);
        try (Connection c = database.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO frames (job_id, idx, pts_ms, width, height, bytes,"
                                    + " blob_key, segment) VALUES (?, ?, ?, 64, 36, ?, ?, 0)")) {
            for (int i = 0; i < count; i++) {
                String key = BlobKeys.frame(id, i);
                Files.createDirectories(blobRoot.resolve(key).getParent());
                Files.write(blobRoot.resolve(key), JPEG);
                ps.setString(1, id);
                ps.setLong(2, i);
                ps.setLong(3, i * 500L);
                ps.setInt(4, JPEG.length);
                ps.setString(5, key);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return id;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
