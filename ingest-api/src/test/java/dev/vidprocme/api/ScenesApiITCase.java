package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.SceneRepository;
import dev.vidprocme.records.Scene;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/jobs/{id}/scenes} over HTTP against real PostgreSQL, with rows written by {@link
 * SceneRepository} the way the pipeline writes them. No job is submitted, so no Kafka is needed.
 */
class ScenesApiITCase {
    private static final String TOKEN = "scenes-it-token-0123456789";

    @TempDir static Path tmp;
    private static EmbeddedPostgres postgres;
    private static Database database;
    private static IngestApi api;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        api =
                IngestApi.start(
                        ApiConfig.builder()
                                .apiToken(TOKEN)
                                .blobStoreUri(
                                        Files.createDirectories(tmp.resolve("blobs"))
                                                .toUri()
                                                .toString())
                                .db(db)
                                .kafkaBootstrap("127.0.0.1:" + closed)
                                .jobsTopic("scenes-it.jobs")
                                .workerThreads(2)
                                .build());
        database = Database.connect(db, 2, "scenes-it");
        client = new ApiClient(api.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void scenesWrittenByTheRepositoryComeBackInOrder() throws Exception {
        String id = insertJob();
        List<Scene> scenes =
                List.of(
                        new Scene(0, 0, 3000, Scene.START, 0),
                        new Scene(1, 3000, 6040, Scene.CUT, 0.82),
                        new Scene(2, 6040, 12200, Scene.FADE, 0.31),
                        new Scene(3, 12200, 15200, Scene.DISSOLVE, 0.4));
        write(id, scenes);

        JsonNode body = ApiClient.json(client.get("/v1/jobs/" + id + "/scenes"));

        assertThat(body.get("items")).hasSize(4);
        JsonNode cut = body.get("items").get(1);
        assertThat(cut.get("index").asInt()).isEqualTo(1);
        assertThat(cut.get("startMs").asLong()).isEqualTo(3000);
        assertThat(cut.get("endMs").asLong()).isEqualTo(6040);
        assertThat(cut.get("kind").asText()).isEqualTo("cut");
        assertThat(cut.get("score").asDouble()).isEqualTo(0.82);
        assertThat(body.get("items").get(0).get("kind").asText()).isEqualTo("start");
        assertThat(body.get("items").get(3).get("kind").asText()).isEqualTo("dissolve");
    }

    @Test
    void replacingScenesLeavesOnlyTheNewOnes() throws Exception {
        String id = insertJob();
        write(
                id,
                List.of(
                        new Scene(0, 0, 1000, Scene.START, 0),
                        new Scene(1, 1000, 2000, Scene.CUT, 1)));
        write(id, List.of(new Scene(0, 0, 2000, Scene.START, 0)));

        JsonNode body = ApiClient.json(client.get("/v1/jobs/" + id + "/scenes"));

        assertThat(body.get("items")).hasSize(1);
        assertThat(body.get("items").get(0).get("endMs").asLong()).isEqualTo(2000);
    }

    @Test
    void aJobWithoutScenesHasAnEmptyList() throws Exception {
        String id = insertJob();

        JsonNode body = ApiClient.json(client.get("/v1/jobs/" + id + "/scenes"));

        assertThat(body.get("items")).isEmpty();
    }

    @Test
    void unknownJobIs404AndAMalformedIdIs400() throws Exception {
        assertError(
                client.get("/v1/jobs/123e4567-e89b-12d3-a456-426614174000/scenes"),
                404,
                "not_found");
        assertError(client.get("/v1/jobs/not-a-uuid/scenes"), 400, "invalid_parameter");
    }

    @Test
    void needsTheBearerToken() throws Exception {
        String id = insertJob();

        assertThat(client.anonymous().get("/v1/jobs/" + id + "/scenes").statusCode())
                .isEqualTo(401);
    }

    private static String insertJob() throws Exception {
        String id = JobIds.newId();
        new JobRepository(database.dataSource())
                .insertQueued(id, 5, "{}", "file:///srv/v.mp4", null, null);
        return id;
    }

    private static void write(String id, List<Scene> scenes) throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            SceneRepository.replace(c, id, scenes);
            c.commit();
        }
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String code)
            throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(ApiClient.json(r).get("error").get("code").asText()).isEqualTo(code);
    }
}
