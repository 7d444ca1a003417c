package dev.vidprocme.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.JobClaim;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.QueuedJob;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.WebhookResult;
import dev.vidprocme.records.WebhookResult.Outcome;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SignatureException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook operator called directly, against real PostgreSQL and a real receiver on loopback
 * (allow-listed here) that checks every signature and fails first attempts on purpose.
 */
class WebhookDeliveryITCase {
    private static final byte[] SECRET = "it-webhook-secret-0123456789".getBytes(UTF_8);
    private static EmbeddedPostgres postgres;
    private static DbSettings db;
    private static Database database;
    private static JobRepository jobs;
    private static HttpServer receiver;
    private static String base;

    /** Every request the receiver saw, per event id. */
    private static final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();

    /** 2xx answers the receiver gave, per event id. */
    private static final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();

    private static final List<String> problems = new CopyOnWriteArrayList<>();

    private WebhookFunction function;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Database.migrate(db);
        database = Database.connect(db, 2, "webhook-it");
        jobs = new JobRepository(database.dataSource());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/flaky", e -> answer(e, true, 200, null));
        receiver.createContext("/down", e -> answer(e, false, 503, "0"));
        receiver.createContext("/gone", e -> answer(e, false, 410, null));
        receiver.start();
        base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void openFunction() {
        function = open(AllowList.parse("127.0.0.1"), 3);
    }

    @AfterEach
    void closeFunction() {
        function.close();
        assertThat(problems).as("receiver-side problems").isEmpty();
    }

    @Test
    void flakyReceiverGetsEveryEventOnceAfterARetryAndReplaysSendNothing() throws Exception {
        String job = job(base + "/flaky");

        WebhookResult running = invoke(function, update(job, 1, JobStatus.RUNNING));
        WebhookResult done = invoke(function, update(job, 2, JobStatus.COMPLETED));
        WebhookResult replayed = invoke(function, update(job, 1, JobStatus.RUNNING));

        assertThat(running.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(running.attempts()).isEqualTo(2);
        assertThat(done.outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(replayed.outcome()).isEqualTo(Outcome.ALREADY_DELIVERED);
        assertThat(replayed.attempts()).isZero();
        assertThat(posts.get(job + ":1")).hasValue(2);
        assertThat(accepted.get(job + ":1")).hasValue(1);
        assertThat(accepted.get(job + ":2")).hasValue(1);
        assertThat(row(job + ":1")).isEqualTo("delivered/2");
    }

    @Test
    void theSameEventTwiceAtOnceIsPostedSuccessfullyOnce() throws Exception {
        String job = job(base + "/flaky");
        CompletableFuture<WebhookResult> a = start(function, update(job, 1, JobStatus.RUNNING));
        CompletableFuture<WebhookResult> b = start(function, update(job, 1, JobStatus.RUNNING));

        List<Outcome> outcomes =
                List.of(
                        a.get(30, TimeUnit.SECONDS).outcome(),
                        b.get(30, TimeUnit.SECONDS).outcome());

        assertThat(outcomes)
                .containsExactlyInAnyOrder(Outcome.DELIVERED, Outcome.ALREADY_DELIVERED);
        assertThat(accepted.get(job + ":1")).hasValue(1);
    }

    @Test
    void aReceiverThatKeepsFailingIsGivenUpWithAReason() throws Exception {
        String job = job(base + "/down");

        WebhookResult r = invoke(function, update(job, 1, JobStatus.FAILED));

        assertThat(r.outcome()).isEqualTo(Outcome.GAVE_UP);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(r.detail()).contains("gave up after 3 attempts").contains("503");
        assertThat(posts.get(job + ":1")).hasValue(3);
        assertThat(row(job + ":1")).isEqualTo("failed/3");
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        String job = job(base + "/gone");

        WebhookResult r = invoke(function, update(job, 1, JobStatus.RUNNING));

        assertThat(r.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(r.detail()).contains("410");
        assertThat(posts.get(job + ":1")).hasValue(1);
    }

    @Test
    void internalReceiversAreRefusedUnlessAllowListed() throws Exception {
        WebhookFunction strict = open(AllowList.NONE, 3);
        try {
            int port = receiver.getAddress().getPort();
            for (String url :
                    List.of(
                            "http://localhost:" + port + "/flaky",
                            "http://[::1]:" + port + "/flaky",
                            "http://127.0.0.1:" + port + "/flaky")) {
                String job = job(url);
                WebhookResult r = invoke(strict, update(job, 1, JobStatus.RUNNING));
                assertThat(r.outcome()).as(url).isEqualTo(Outcome.REFUSED);
                assertThat(r.detail()).as(url).contains("loopback");
                assertThat(posts.get(job + ":1")).as(url).isNull();
            }
        } finally {
            strict.close();
        }
    }

    @Test
    void jobsWithoutACallbackAreSkipped() throws Exception {
        String job = job(null);

        WebhookResult r = invoke(function, update(job, 1, JobStatus.RUNNING));

        assertThat(r.outcome()).isEqualTo(Outcome.NO_CALLBACK);
        assertThat(row(job + ":1")).isNull();
    }

    private static void answer(HttpExchange e, boolean failFirst, int status, String retryAfter)
            throws IOException {
        try (e) {
            byte[] body = e.getRequestBody().readAllBytes();
            String eventId = e.getRequestHeaders().getFirst(WebhookSigner.EVENT_ID_HEADER);
            try {
                WebhookSigner.verify(
                        e.getRequestHeaders().getFirst(WebhookSigner.SIGNATURE_HEADER),
                        body,
                        SECRET,
                        Duration.ofMinutes(5));
                JsonNode json = Json.mapper().readTree(body);
                if (!json.get("eventId").asText().equals(eventId)) {
                    problems.add("body and header disagree on the event id: " + eventId);
                }
            } catch (SignatureException ex) {
                problems.add(eventId + ": " + ex.getMessage());
            }
            int n = posts.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
            int code = failFirst ? (n == 1 ? 500 : status) : status;
            if (code / 100 == 2) {
                accepted.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
            }
            if (retryAfter != null) {
                e.getResponseHeaders().set("Retry-After", retryAfter);
            }
            e.sendResponseHeaders(code, -1);
        }
    }

    private static WebhookFunction open(AllowList allow, int maxAttempts) {
        WebhookFunction f =
                new WebhookFunction(
                        db,
                        new WebhookSettings(
                                allow,
                                maxAttempts,
                                Duration.ofMillis(20),
                                Duration.ofMillis(200),
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(10)),
                        () -> SECRET.clone(),
                        2);
        f.open(DefaultOpenContext.INSTANCE);
        return f;
    }

    private static WebhookResult invoke(WebhookFunction f, JobUpdate u) throws Exception {
        return start(f, u).get(30, TimeUnit.SECONDS);
    }

    private static CompletableFuture<WebhookResult> start(WebhookFunction f, JobUpdate u) {
        Collecting out = new Collecting();
        f.asyncInvoke(u, out);
        return out.result;
    }

    private static String job(String callbackUrl) throws Exception {
        String id = UUID.randomUUID().toString();
        String spec =
                callbackUrl == null
                        ? "{\"priority\":5}"
                        : Json.mapper()
                                .writeValueAsString(
                                        Map.of("priority", 5, "callbackUrl", callbackUrl));
        jobs.insertQueued(
                new QueuedJob(id, 5, spec, "file:///srv/v.mp4", null, null, null), JobClaim.NONE);
        return id;
    }

    private static JobUpdate update(String job, int seq, JobStatus status) {
        return new JobUpdate(
                job,
                seq,
                status,
                status.isTerminal() ? 1.0 : 0.5,
                null,
                10,
                null,
                null,
                null,
                1_700_000_000_000L + seq);
    }

    private static String row(String eventId) throws Exception {
        try (Connection c = database.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT status, attempts FROM webhook_deliveries WHERE event_id ="
                                        + " ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) + "/" + rs.getInt(2) : null;
            }
        }
    }

    /** A ResultFuture that hands its single result to a CompletableFuture. */
    private static final class Collecting implements ResultFuture<WebhookResult> {
        final CompletableFuture<WebhookResult> result = new CompletableFuture<>();
        final List<WebhookResult> all = new ArrayList<>();

        @Override
        public void complete(Collection<WebhookResult> results) {
            all.addAll(results);
            if (results.size() != 1) {
                result.completeExceptionally(
                        new AssertionError("expected one result, got " + results));
            } else {
                result.complete(results.iterator().next());
            }
        }

        @Override
        public void completeExceptionally(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void complete(CollectionSupplier<WebhookResult> supplier) {
            try {
                complete(supplier.get());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }
    }
}
