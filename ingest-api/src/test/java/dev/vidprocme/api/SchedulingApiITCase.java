package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.embedded.EmbeddedKafka;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.DeadLetterRepository;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
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

/**
 * Priority queue view, dead letters and their replay, cancellation and Idempotency-Key, over HTTP
 * against a real Kafka broker and PostgreSQL started once for the class. Tests in a class run one
 * after another, so counts taken before and after one test's writes see only that test's rows.
 */
class SchedulingApiITCase {
    private static final String TOKEN = "scheduling-it-token-0123456789";
    private static final String TOPIC = "scheduling-it.jobs";
    private static final String KEY_HEADER = "Idempotency-Key";

    @TempDir static Path tmp;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;
    private static Database database;
    private static Path blobRoot;
    private static Path allowedRoot;
    private static IngestApi api;
    private static IngestApi noKafkaApi;
    private static ApiClient client;
    private static JobRepository jobs;

    @BeforeAll
    static void startServices() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, TOPIC);
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        blobRoot = Files.createDirectories(tmp.resolve("blobs"));
        allowedRoot = Files.createDirectories(tmp.resolve("allowed")).toRealPath();
        api =
                IngestApi.start(
                        ApiConfig.builder()
                                .apiToken(TOKEN)
                                .blobStoreUri(blobRoot.toUri().toString())
                                .db(db)
                                .kafkaBootstrap(kafka.bootstrapServers())
                                .jobsTopic(TOPIC)
                                .allowedInputRoots(List.of(allowedRoot))
                                .workerThreads(8)
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
        database = Database.connect(db, 2, "scheduling-it");
        jobs = new JobRepository(database.dataSource());
        client = new ApiClient(api.baseUrl(), TOKEN);
    }

    @AfterAll
    static void stopServices() {
        for (AutoCloseable c : new AutoCloseable[] {api, noKafkaApi, database, kafka, postgres}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // Keep closing the rest; a leak here only affects this JVM.
                }
            }
        }
    }

    // ---- GET /v1/queue ----

    @Test
    void everyAcceptedJobWaitsAsOnePlanningUnitAtItsPriority() throws Exception {
        Map<Integer, long[]> before = bins();
        String id = submitJson(video("plan-unit.mp4"), "\"priority\": 8", null);
        assertThat(units(id)).containsExactly("plan/0/waiting/8");
        Map<Integer, long[]> after = bins();
        assertThat(after.get(8)[0] - before.get(8)[0]).isEqualTo(1);
    }

    @Test
    void queueCountsOpenUnitsPerPriorityAndIgnoresEndedJobs() throws Exception {
        Map<Integer, long[]> before = bins();
        // Priority 9: the plan unit runs, two decode units wait, one is done.
        String busy = insertJob(9);
        sql("UPDATE work_units SET state = 'running' WHERE job_id = ?", busy);
        insertUnit(busy, 0, "waiting", 9);
        insertUnit(busy, 1, "waiting", 9);
        insertUnit(busy, 2, "done", 9);
        // Priority 3: a RUNNING job with one unit running and one that failed for good.
        String running = insertJob(3);
        sql("UPDATE jobs SET status = 'RUNNING' WHERE id = ?", running);
        sql("UPDATE work_units SET state = 'done' WHERE job_id = ?", running);
        insertUnit(running, 0, "running", 3);
        insertUnit(running, 1, "failed", 3);
        // Ended jobs whose mirror rows still say waiting/running are not counted.
        for (String status : List.of("COMPLETED", "PARTIAL", "FAILED", "CANCELLED")) {
            String ended = insertJob(9);
            insertUnit(ended, 0, "running", 9);
            sql("UPDATE jobs SET status = '" + status + "' WHERE id = ?", ended);
        }

        HttpResponse<byte[]> r = client.get("/v1/queue");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode bins = ApiClient.json(r).get("bins");
        assertThat(bins).hasSize(10);
        for (int i = 0; i < 10; i++) {
            JsonNode bin = bins.get(i);
            assertThat(bin.get("priority").asInt()).isEqualTo(9 - i);
            assertThat(bin.fieldNames())
                    .toIterable()
                    .containsExactly("priority", "waiting", "running");
        }
        Map<Integer, long[]> after = bins();
        for (int p = 0; p <= 9; p++) {
            long waiting = after.get(p)[0] - before.get(p)[0];
            long runningUnits = after.get(p)[1] - before.get(p)[1];
            switch (p) {
                case 9 -> {
                    assertThat(waiting).as("waiting at 9").isEqualTo(2);
                    assertThat(runningUnits).as("running at 9").isEqualTo(1);
                }
                case 3 -> {
                    assertThat(waiting).as("waiting at 3").isZero();
                    assertThat(runningUnits).as("running at 3").isEqualTo(1);
                }
                default -> {
                    assertThat(waiting).as("waiting at " + p).isZero();
                    assertThat(runningUnits).as("running at " + p).isZero();
                }
            }
        }
    }

    // ---- GET /v1/dlq ----

    @Test
    void deadLettersAreListedNewestFirstAndFilteredByJob() throws Exception {
        String a = insertJob(5);
        String b = insertJob(5);
        // Far in the future, so these are the newest rows whatever other tests stored.
        Instant t0 = Instant.parse("2100-01-01T00:00:00Z");
        DeadLetter a0 = deadLetter(a, "plan", 0, t0, "file:///srv/a.mp4");
        DeadLetter a3 = deadLetter(a, "decode", 3, t0.plusSeconds(20), "file:///srv/a.mp4");
        DeadLetter b1 = deadLetter(b, "decode", 1, t0.plusSeconds(10), "file:///srv/b.mp4");
        storeDeadLetters(a0, a3, b1);

        JsonNode all = ApiClient.json(client.get("/v1/dlq?limit=3")).get("items");
        assertThat(ids(all)).containsExactly(a3.id(), b1.id(), a0.id());
        JsonNode first = all.get(0);
        assertThat(first.get("jobId").asText()).isEqualTo(a);
        assertThat(first.get("stage").asText()).isEqualTo("decode");
        assertThat(first.get("unit").asInt()).isEqualTo(3);
        assertThat(first.get("attempts").asInt()).isEqualTo(4);
        assertThat(first.get("errorClass").asText()).isEqualTo("decode_failed");
        assertThat(first.get("message").asText()).isEqualTo("decode 3 of " + a + " gave up");
        assertThat(first.get("at").asText()).isEqualTo("2100-01-01T00:00:20Z");
        assertThat(first.has("replayedJobId")).isTrue();
        assertThat(first.get("replayedJobId").isNull()).isTrue();

        assertThat(ids(ApiClient.json(client.get("/v1/dlq?limit=2")).get("items")))
                .containsExactly(a3.id(), b1.id());
        assertThat(ids(ApiClient.json(client.get("/v1/dlq?jobId=" + a)).get("items")))
                .containsExactly(a3.id(), a0.id());
        assertThat(ids(ApiClient.json(client.get("/v1/dlq?limit=1&jobId=" + b)).get("items")))
                .containsExactly(b1.id());
        assertThat(ApiClient.json(client.get("/v1/dlq?jobId=" + JobIds.newId())).get("items"))
                .isEmpty();
        assertThat(ApiClient.json(client.get("/v1/dlq")).get("items").size()).isBetween(3, 100);

        for (String q : List.of("limit=0", "limit=501", "limit=many", "jobId=nope")) {
            JsonNode e = assertError(client.get("/v1/dlq?" + q), 400, "invalid_parameter");
            assertThat(e.get("error").get("field").asText())
                    .isEqualTo(q.substring(0, q.indexOf('=')));
        }
    }

    @Test
    void anUpsertedDeadLetterWaitsForTheCallersCommitAndIsWrittenOnce() throws Exception {
        String job = insertJob(5);
        DeadLetter first = deadLetter(job, "decode", 0, Instant.now(), "file:///srv/x.mp4");
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            DeadLetterRepository.upsert(c, first);
            c.rollback();
        }
        DeadLetterRepository repo = new DeadLetterRepository(database.dataSource());
        assertThat(repo.find(first.id())).isEmpty();

        storeDeadLetters(first);
        // A replayed write after a restore (other message, same id) changes nothing.
        storeDeadLetters(
                new DeadLetter(
                        first.id(), job, "decode", 0, 9, "other", "later", 0, first.request()));
        assertThat(repo.find(first.id()))
                .hasValueSatisfying(
                        row -> {
                            assertThat(row.letter()).isEqualTo(first);
                            assertThat(row.replayedJobId()).isNull();
                        });
    }

    // ---- POST /v1/dlq/{id}/replay ----

    @Test
    void replayQueuesANewJobWithTheSameInputAndSpecOnce() throws Exception {
        String uri = video("replay.mp4");
        JobSpec spec = new JobSpec(null, 7, new FrameSpec(2.0, 320, 80), true);
        String original = insertJob(7, uri, Json.mapper().writeValueAsString(spec));
        DeadLetter dead = deadLetter(original, "decode", 2, Instant.now(), uri, spec);
        storeDeadLetters(dead);

        HttpResponse<byte[]> r = client.postJson("/v1/dlq/" + dead.id() + "/replay", "");
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
        JsonNode job = ApiClient.json(r);
        String id = job.get("id").asText();
        assertThat(id).isNotEqualTo(original);
        assertThat(job.get("status").asText()).isEqualTo("QUEUED");
        assertThat(job.get("priority").asInt()).isEqualTo(7);
        assertThat(job.get("replayOf").asText()).isEqualTo(dead.id());
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);

        List<JobRequest> events = jobRequests(id);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).inputUri()).isEqualTo(uri);
        assertThat(events.get(0).spec()).isEqualTo(spec);
        assertThat(units(id)).containsExactly("plan/0/waiting/7");
        assertThat(ApiClient.json(client.get("/v1/jobs/" + id)).get("replayOf").asText())
                .isEqualTo(dead.id());
        assertThat(ApiClient.json(client.get("/v1/jobs/" + original)).has("replayOf")).isFalse();
        JsonNode listed = ApiClient.json(client.get("/v1/dlq?jobId=" + original)).get("items");
        assertThat(listed.get(0).get("replayedJobId").asText()).isEqualTo(id);

        JsonNode again =
                assertError(
                        client.postJson("/v1/dlq/" + dead.id() + "/replay", ""),
                        409,
                        "already_replayed");
        assertThat(again.get("error").get("message").asText()).contains(id);
        assertThat(jobsReplaying(dead.id())).containsExactly(id);
    }

    @Test
    void replayOfAnUploadReadsTheOriginalUploadAndShowsItsSource() throws Exception {
        HttpResponse<byte[]> submitted =
                client.postMultipart(
                        "/v1/jobs",
                        new MultipartBody()
                                .file("file", "holiday.mp4", new byte[] {4, 5, 6})
                                .field("spec", "{\"priority\": 1}"),
                        false);
        String original = ApiClient.json(submitted).get("id").asText();
        JobSpec spec = jobRequests(original).get(0).spec();
        DeadLetter dead =
                deadLetter(original, "plan", 0, Instant.now(), InputUris.forUpload(original), spec);
        storeDeadLetters(dead);

        HttpResponse<byte[]> r = client.postJson("/v1/dlq/" + dead.id() + "/replay", "");
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
        JsonNode job = ApiClient.json(r);
        String id = job.get("id").asText();
        assertThat(job.get("source").get("name").asText()).isEqualTo("holiday.mp4");
        assertThat(job.get("source").get("bytes").asLong()).isEqualTo(3);
        assertThat(jobRequests(id).get(0).inputUri()).isEqualTo(InputUris.forUpload(original));
    }

    @Test
    void concurrentReplaysOfOneDeadLetterMakeOneJob() throws Exception {
        String uri = video("replay-race.mp4");
        String original = insertJob(5, uri, "{}");
        DeadLetter dead = deadLetter(original, "plan", 0, Instant.now(), uri);
        storeDeadLetters(dead);

        List<HttpResponse<byte[]>> replies =
                concurrently(8, () -> client.postJson("/v1/dlq/" + dead.id() + "/replay", ""));
        List<HttpResponse<byte[]>> accepted =
                replies.stream().filter(r -> r.statusCode() == 202).toList();
        assertThat(accepted).hasSize(1);
        String id = ApiClient.json(accepted.get(0)).get("id").asText();
        for (HttpResponse<byte[]> r : replies) {
            if (r.statusCode() != 202) {
                assertError(r, 409, "already_replayed");
            }
        }
        assertThat(jobsReplaying(dead.id())).containsExactly(id);
        assertThat(jobRequests(id)).hasSize(1);
    }

    @Test
    void replayOfAnUnknownOrMalformedDeadLetter() throws Exception {
        JsonNode e =
                assertError(
                        client.postJson("/v1/dlq/" + JobIds.newId() + "/replay", ""),
                        404,
                        "not_found");
        assertThat(e.get("error").get("message").asText()).startsWith("no dead letter ");
        JsonNode bad =
                assertError(
                        client.postJson("/v1/dlq/not-an-id/replay", ""), 400, "invalid_parameter");
        assertThat(bad.get("error").get("message").asText()).contains("dead-letter id");
    }

    @Test
    void replayOfAFileThatIsNoLongerAllowedIsRefused() throws Exception {
        Path gone = Files.write(allowedRoot.resolve("gone.mp4"), new byte[] {1});
        String uri = gone.toUri().toString();
        String original = insertJob(5, uri, "{}");
        DeadLetter dead = deadLetter(original, "plan", 0, Instant.now(), uri);
        storeDeadLetters(dead);
        Files.delete(gone);
        assertError(
                client.postJson("/v1/dlq/" + dead.id() + "/replay", ""), 422, "input_not_allowed");
        assertThat(jobsReplaying(dead.id())).isEmpty();
        JsonNode item = ApiClient.json(client.get("/v1/dlq?jobId=" + original)).get("items").get(0);
        assertThat(item.get("replayedJobId").isNull()).isTrue();
    }

    @Test
    void aReplayTheQueueRefusesLeavesTheDeadLetterReplayable() throws Exception {
        String uri = video("replay-no-kafka.mp4");
        String original = insertJob(5, uri, "{}");
        DeadLetter dead = deadLetter(original, "plan", 0, Instant.now(), uri);
        storeDeadLetters(dead);
        ApiClient noKafka = new ApiClient(noKafkaApi.baseUrl(), TOKEN);
        assertError(noKafka.postJson("/v1/dlq/" + dead.id() + "/replay", ""), 503, "unavailable");
        HttpResponse<byte[]> r = client.postJson("/v1/dlq/" + dead.id() + "/replay", "");
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
    }

    // ---- DELETE /v1/jobs/{id} ----

    @Test
    void cancellingAQueuedJobDropsItsWaitingUnits() throws Exception {
        String id = submitJson(video("cancel.mp4"), "\"priority\": 6", null);
        insertUnit(id, 0, "running", 6);
        insertUnit(id, 1, "waiting", 6);
        insertUnit(id, 2, "done", 6);

        HttpResponse<byte[]> r = delete("/v1/jobs/" + id);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
        JsonNode job = ApiClient.json(r);
        assertThat(job.get("id").asText()).isEqualTo(id);
        assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(job.has("error")).isFalse();
        assertThat(units(id))
                .containsExactly(
                        "decode/0/running/6",
                        "decode/1/dropped/6",
                        "decode/2/done/6",
                        "plan/0/dropped/6");
        assertThat(jobs.find(id).orElseThrow().errorMessage()).isEqualTo("cancelled by request");
        assertThat(ApiClient.json(client.get("/v1/jobs/" + id)).get("status").asText())
                .isEqualTo("CANCELLED");

        JsonNode again = assertError(delete("/v1/jobs/" + id), 409, "already_finished");
        assertThat(again.get("error").get("message").asText())
                .isEqualTo("job " + id + " is already CANCELLED");
    }

    @Test
    void cancellingARunningJobWorks() throws Exception {
        String id = insertJob(4);
        sql("UPDATE jobs SET status = 'RUNNING' WHERE id = ?", id);
        HttpResponse<byte[]> r = delete("/v1/jobs/" + id);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
        assertThat(ApiClient.json(r).get("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void endedJobsCannotBeCancelled() throws Exception {
        for (String status : List.of("COMPLETED", "PARTIAL", "FAILED")) {
            String id = insertJob(5);
            sql("UPDATE jobs SET status = '" + status + "' WHERE id = ?", id);
            JsonNode e = assertError(delete("/v1/jobs/" + id), 409, "already_finished");
            assertThat(e.get("error").get("message").asText())
                    .isEqualTo("job " + id + " is already " + status);
            assertThat(jobs.find(id).orElseThrow().status().name()).isEqualTo(status);
            assertThat(units(id)).containsExactly("plan/0/waiting/5");
        }
    }

    @Test
    void cancellingAnUnknownOrMalformedJob() throws Exception {
        assertError(delete("/v1/jobs/" + JobIds.newId()), 404, "not_found");
        assertError(delete("/v1/jobs/not-a-uuid"), 400, "invalid_parameter");
        assertError(
                client.anonymous()
                        .send(
                                "DELETE",
                                "/v1/jobs/" + JobIds.newId(),
                                null,
                                HttpRequest.BodyPublishers.noBody()),
                401,
                "unauthorized");
        assertError(client.anonymous().get("/v1/queue"), 401, "unauthorized");
        assertError(client.anonymous().get("/v1/dlq"), 401, "unauthorized");
    }

    // ---- Idempotency-Key on POST /v1/jobs ----

    @Test
    void jsonSubmissionRetriedWithTheSameKeyGetsTheSameJob() throws Exception {
        String uri = video("idem-json.mp4");
        String key = "json-" + JobIds.newId();
        String spec = "{\"input\": {\"uri\": \"" + uri + "\"}, \"frames\": {\"fps\": 1}}";
        HttpResponse<byte[]> first = postJson(spec, key);
        assertThat(first.statusCode()).as(body(first)).isEqualTo(202);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        String id = ApiClient.json(first).get("id").asText();

        // Same request, written differently: same spec once normalised, same file.
        String respelled =
                "{\"frames\": {\"fps\": 1.0}, \"priority\": 5, \"input\": {\"uri\": \""
                        + uri.replace(allowedRoot.toString(), allowedRoot + "/.")
                        + "\"}}";
        HttpResponse<byte[]> second = postJson(respelled, key);
        assertThat(second.statusCode()).as(body(second)).isEqualTo(200);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(second.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);
        assertThat(ApiClient.json(second).get("id").asText()).isEqualTo(id);

        // A later retry shows the job as it is now.
        sql("UPDATE jobs SET status = 'RUNNING' WHERE id = ?", id);
        HttpResponse<byte[]> third = postJson(spec, key);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(third).get("status").asText()).isEqualTo("RUNNING");

        assertThat(jobRequests(id)).hasSize(1);
        assertThat(jobsWithInput(uri)).containsExactly(id);
    }

    @Test
    void uploadRetriedWithTheSameKeyGetsTheSameJobAndLeavesNoSecondBlob() throws Exception {
        String key = "upload-" + JobIds.newId();
        byte[] video = "not really a video, but the same bytes".getBytes(StandardCharsets.UTF_8);
        Set<String> before = uploads();
        HttpResponse<byte[]> first = postUpload(video, "{\"priority\": 2}", key);
        assertThat(first.statusCode()).as(body(first)).isEqualTo(202);
        String id = ApiClient.json(first).get("id").asText();
        HttpResponse<byte[]> second = postUpload(video, "{\"priority\": 2}", key);
        assertThat(second.statusCode()).as(body(second)).isEqualTo(200);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(ApiClient.json(second).get("id").asText()).isEqualTo(id);
        assertThat(ApiClient.json(second).get("source").get("bytes").asLong())
                .isEqualTo(video.length);

        assertThat(jobRequests(id)).hasSize(1);
        Set<String> added = new HashSet<>(uploads());
        added.removeAll(before);
        assertThat(added).containsExactly(blobRoot.resolve(BlobKeys.upload(id)).toString());

        // Same key, other bytes or other spec: refused, and the refused upload is not kept.
        byte[] other = video.clone();
        other[0] ^= 1;
        JsonNode otherFile =
                assertError(
                        postUpload(other, "{\"priority\": 2}", key), 422, "idempotency_key_reused");
        assertThat(otherFile.get("error").get("message").asText()).contains("(job " + id + ")");
        assertError(postUpload(video, "{\"priority\": 3}", key), 422, "idempotency_key_reused");
        added = new HashSet<>(uploads());
        added.removeAll(before);
        assertThat(added).hasSize(1);
    }

    @Test
    void theSameKeyOnADifferentRequestIsRefused() throws Exception {
        String key = "reused-" + JobIds.newId();
        String uri = video("idem-a.mp4");
        String id =
                ApiClient.json(postJson("{\"input\": {\"uri\": \"" + uri + "\"}}", key))
                        .get("id")
                        .asText();
        for (String other :
                List.of(
                        "{\"input\": {\"uri\": \"" + video("idem-b.mp4") + "\"}}",
                        "{\"input\": {\"uri\": \"" + uri + "\"}, \"priority\": 9}")) {
            JsonNode e = assertError(postJson(other, key), 422, "idempotency_key_reused");
            assertThat(e.get("error").get("field").asText()).isEqualTo(KEY_HEADER);
            assertThat(e.get("error").get("message").asText())
                    .isEqualTo(
                            "Idempotency-Key '"
                                    + key
                                    + "' was used for a different request (job "
                                    + id
                                    + "); use a new key for a new request");
        }
        // As an upload too: the key belongs to a JSON submission.
        assertError(postUpload(new byte[] {1}, null, key), 422, "idempotency_key_reused");
        assertThat(jobRequests(id)).hasSize(1);
    }

    @Test
    void malformedKeysAreRefusedBeforeTheBodyIsRead() throws Exception {
        Set<String> before = uploads();
        String uri = video("idem-bad.mp4");
        for (String key : List.of("k".repeat(256), "")) {
            JsonNode e =
                    assertError(
                            postJson("{\"input\": {\"uri\": \"" + uri + "\"}}", key),
                            400,
                            "invalid_parameter");
            assertThat(e.get("error").get("field").asText()).isEqualTo(KEY_HEADER);
            assertThat(e.get("error").get("message").asText()).contains(KEY_HEADER);
            assertError(postUpload(new byte[] {1, 2}, null, key), 400, "invalid_parameter");
        }
        HttpResponse<byte[]> twice =
                client.exchange(
                        HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/jobs"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .header(KEY_HEADER, "one")
                                .header(KEY_HEADER, "two")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"input\": {\"uri\": \"" + uri + "\"}}")));
        assertError(twice, 400, "invalid_parameter");
        assertThat(jobsWithInput(uri)).isEmpty();
        assertThat(uploads()).isEqualTo(before);
    }

    @Test
    void concurrentSubmissionsWithOneKeyMakeOneJob() throws Exception {
        String uri = video("idem-race.mp4");
        String key = "race-" + JobIds.newId();
        String spec = "{\"input\": {\"uri\": \"" + uri + "\"}}";
        List<HttpResponse<byte[]>> replies = concurrently(8, () -> postJson(spec, key));
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (HttpResponse<byte[]> r : replies) {
            assertThat(r.statusCode()).as(body(r)).isIn(200, 202);
            created += r.statusCode() == 202 ? 1 : 0;
            ids.add(ApiClient.json(r).get("id").asText());
        }
        assertThat(created).isEqualTo(1);
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();
        assertThat(jobsWithInput(uri)).containsExactly(id);
        assertThat(jobRequests(id)).hasSize(1);
    }

    @Test
    void aKeyIsFreedWhenTheQueueRefusesItsJob() throws Exception {
        String uri = video("idem-no-kafka.mp4");
        String key = "no-kafka-" + JobIds.newId();
        String spec = "{\"input\": {\"uri\": \"" + uri + "\"}}";
        ApiClient noKafka = new ApiClient(noKafkaApi.baseUrl(), TOKEN);
        assertError(
                noKafka.exchange(
                        HttpRequest.newBuilder(URI.create(noKafkaApi.baseUrl() + "/v1/jobs"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .header(KEY_HEADER, key)
                                .POST(HttpRequest.BodyPublishers.ofString(spec))),
                503,
                "unavailable");
        HttpResponse<byte[]> retry = postJson(spec, key);
        assertThat(retry.statusCode()).as(body(retry)).isEqualTo(202);
        String id = ApiClient.json(retry).get("id").asText();
        assertThat(jobsWithInput(uri)).hasSize(2).contains(id);
        assertThat(jobRequests(id)).hasSize(1);
    }

    @Test
    void aKeyOlderThanADayIsTakenOverByANewRequest() throws Exception {
        String key = "stale-" + JobIds.newId();
        String old =
                ApiClient.json(
                                postJson(
                                        "{\"input\": {\"uri\": \"" + video("idem-old.mp4") + "\"}}",
                                        key))
                        .get("id")
                        .asText();
        sql(
                "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key ="
                        + " ?",
                key);
        HttpResponse<byte[]> r =
                postJson("{\"input\": {\"uri\": \"" + video("idem-new.mp4") + "\"}}", key);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
        String id = ApiClient.json(r).get("id").asText();
        assertThat(id).isNotEqualTo(old);
        HttpResponse<byte[]> again =
                postJson("{\"input\": {\"uri\": \"" + video("idem-new.mp4") + "\"}}", key);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(again).get("id").asText()).isEqualTo(id);
    }

    // ---- helpers: HTTP ----

    private static HttpResponse<byte[]> postJson(String json, String key) throws Exception {
        return client.exchange(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/jobs"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .header(KEY_HEADER, key)
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<byte[]> postUpload(byte[] file, String spec, String key)
            throws Exception {
        MultipartBody body = new MultipartBody().file("file", "clip.mp4", file);
        if (spec != null) {
            body.field("spec", spec);
        }
        return client.exchange(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/jobs"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", body.contentType())
                        .header(KEY_HEADER, key)
                        .POST(body.fixedLengthPublisher()));
    }

    private static HttpResponse<byte[]> delete(String path) throws Exception {
        return client.send("DELETE", path, null, HttpRequest.BodyPublishers.noBody());
    }

    /** Submits a JSON job for {@code uri} with extra spec members; returns its id. */
    private static String submitJson(String uri, String members, String key) throws Exception {
        String json =
                "{\"input\": {\"uri\": \""
                        + uri
                        + "\"}"
                        + (members.isEmpty() ? "" : ", " + members)
                        + "}";
        HttpResponse<byte[]> r =
                key == null ? client.postJson("/v1/jobs", json) : postJson(json, key);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
        return ApiClient.json(r).get("id").asText();
    }

    /** Runs {@code n} copies of {@code call} released at once; returns their results. */
    private static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return call.call();
                                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode assertError(HttpResponse<byte[]> r, int status, String code)
            throws IOException {
        String text = body(r);
        assertThat(r.statusCode()).as(text).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = ApiClient.json(r);
        assertThat(json.get("error").get("code").asText()).as(text).isEqualTo(code);
        assertThat(json.get("error").get("message").asText()).isNotBlank();
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        return json;
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    /** priority -> {waiting, running} as GET /v1/queue reports them. */
    private static Map<Integer, long[]> bins() throws Exception {
        HttpResponse<byte[]> r = client.get("/v1/queue");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<Integer, long[]> bins = new java.util.HashMap<>();
        for (JsonNode bin : ApiClient.json(r).get("bins")) {
            bins.put(
                    bin.get("priority").asInt(),
                    new long[] {bin.get("waiting").asLong(), bin.get("running").asLong()});
        }
        assertThat(bins.keySet()).hasSize(10);
        return bins;
    }

    // ---- helpers: database ----

    /** A file under the allowed root, as its canonical URI. */
    private static String video(String name) throws IOException {
        Path file = allowedRoot.resolve(name);
        if (!Files.exists(file)) {
            Files.write(file, new byte[] {1});
        }
        return file.toUri().toString();
    }

    private static String insertJob(int priority) throws Exception {
        return insertJob(priority, "file:///srv/v.mp4", "{}");
    }

    private static String insertJob(int priority, String uri, String specJson) throws Exception {
        String id = JobIds.newId();
        jobs.insertQueued(id, priority, specJson, uri, null, null);
        return id;
    }

    private static void insertUnit(String jobId, int unit, String state, int priority)
            throws Exception {
        try (Connection c = database.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO work_units (job_id, stage, unit, state, priority)"
                                        + " VALUES (?, 'decode', ?, ?, ?)")) {
            ps.setString(1, jobId);
            ps.setInt(2, unit);
            ps.setString(3, state);
            ps.setInt(4, priority);
            ps.executeUpdate();
        }
    }

    private static void sql(String statement, String param) throws Exception {
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, param);
            ps.executeUpdate();
        }
    }

    private static List<String> strings(String query, String param) throws Exception {
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, param);
            List<String> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    /** The job's units as "stage/unit/state/priority", sorted. */
    private static List<String> units(String jobId) throws Exception {
        return strings(
                "SELECT stage || '/' || unit || '/' || state || '/' || priority FROM work_units"
                        + " WHERE job_id = ? ORDER BY 1",
                jobId);
    }

    private static List<String> jobsWithInput(String uri) throws Exception {
        return strings("SELECT id FROM jobs WHERE input_uri = ?", uri);
    }

    private static List<String> jobsReplaying(String deadLetterId) throws Exception {
        return strings("SELECT id FROM jobs WHERE replay_of = ?", deadLetterId);
    }

    private static DeadLetter deadLetter(
            String jobId, String stage, int unit, Instant at, String uri) {
        return deadLetter(jobId, stage, unit, at, uri, JobSpec.defaults());
    }

    private static DeadLetter deadLetter(
            String jobId, String stage, int unit, Instant at, String uri, JobSpec spec) {
        return new DeadLetter(
                DeadLetter.idFor(jobId, stage, unit),
                jobId,
                stage,
                unit,
                4,
                "decode_failed",
                stage + " " + unit + " of " + jobId + " gave up",
                at.toEpochMilli(),
                new JobRequest(jobId, uri, spec, at.toEpochMilli()));
    }

    /** Stores dead letters the way the pipeline's sink does: in a transaction it commits. */
    private static void storeDeadLetters(DeadLetter... letters) throws Exception {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            for (DeadLetter d : letters) {
                DeadLetterRepository.upsert(c, d);
            }
            c.commit();
        }
    }

    private static Set<String> uploads() throws IOException {
        Path dir = blobRoot.resolve("uploads");
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(Path::toString)
                    .collect(Collectors.toSet());
        }
    }

    // ---- helpers: Kafka ----

    /**
     * Every request for the job on the jobs topic. The API answers only after Kafka acknowledged,
     * so reading up to the end offsets taken now sees everything sent for the job so far.
     */
    private static List<JobRequest> jobRequests(String jobId) throws Exception {
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<JobRequest> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(TOPIC).stream()
                            .map(i -> new TopicPartition(TOPIC, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + TOPIC + " to its end in 30 s");
                }
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key())) {
                        found.add(Json.mapper().readValue(record.value(), JobRequest.class));
                    }
                }
            }
        }
        return found;
    }

    private static boolean reached(
            KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
