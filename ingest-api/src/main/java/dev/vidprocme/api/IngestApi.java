package dev.vidprocme.api;

import dev.vidprocme.analysis.embed.TextEmbedder;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobStores;
import dev.vidprocme.io.db.AnalysisRepository;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DeadLetterRepository;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.io.db.IdempotencyKeyRepository;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.OutputRepository;
import dev.vidprocme.io.db.QueueRepository;
import dev.vidprocme.io.db.SceneRepository;
import dev.vidprocme.io.db.SearchRepository;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running ingest API: HTTP server, database pool, blob store and Kafka producer, started
 * together and closed together. Embedders (the local launcher, tests) call {@link
 * #start(ApiConfig)}.
 */
public final class IngestApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngestApi.class);
    private static final int DB_POOL_SIZE = 8;

    private final Deque<AutoCloseable> resources;
    private final int port;
    private final String baseUrl;
    private boolean closed;

    private IngestApi(Deque<AutoCloseable> resources, int port, String baseUrl) {
        this.resources = resources;
        this.port = port;
        this.baseUrl = baseUrl;
    }

    /**
     * Migrates the schema, connects everything and starts serving.
     *
     * @throws IOException when the port cannot be bound or the blob store cannot be opened
     */
    public static IngestApi start(ApiConfig config) throws IOException {
        // Closed in reverse order on failure here, or by close() later.
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            // The API writes job rows before the pipeline may have run, so it brings the schema up
            // itself;
            // Flyway's lock makes this safe next to the pipeline doing the same.
            Database.migrate(config.db());
            Database database =
                    push(resources, Database.connect(config.db(), DB_POOL_SIZE, "ingest-api"));
            BlobStore blobs = push(resources, BlobStores.open(config.blobStoreUri()));
            JobQueue queue =
                    push(
                            resources,
                            new KafkaJobQueue(
                                    config.kafkaBootstrap(),
                                    config.jobsTopic(),
                                    config.enqueueTimeout()));
            ReadinessProbe probe =
                    push(resources, new ReadinessProbe(config.kafkaBootstrap(), database));
            ApiServer server =
                    push(
                            resources,
                            ApiServer.bind(
                                    config.bindHost(), config.port(), config.workerThreads()));

            String baseUrl =
                    config.publicBaseUrl() != null
                            ? config.publicBaseUrl()
                            : derivedBaseUrl(server.address());
            JobRepository jobs = new JobRepository(database.dataSource());
            FrameRepository frames = new FrameRepository(database.dataSource());
            FrameUrlSigner signer =
                    new FrameUrlSigner(
                            config.frameUrlKey(), config.frameUrlTtl(), Clock.systemUTC());
            DeadLetterRepository deadLetters = new DeadLetterRepository(database.dataSource());
            OutputRepository outputs = new OutputRepository(database.dataSource());
            // Same key as frame URLs; the signed message differs, so neither verifies the other.
            OutputUrlSigner outputSigner =
                    new OutputUrlSigner(
                            config.frameUrlKey(), config.outputUrlTtl(), Clock.systemUTC());
            JobSubmitter submitter = new JobSubmitter(jobs, queue, Clock.systemUTC());
            IdempotentSubmitter idempotent =
                    new IdempotentSubmitter(
                            submitter, new IdempotencyKeyRepository(database.dataSource()), jobs);
            HealthHandlers health = new HealthHandlers(probe);
            Router router =
                    ApiRoutes.router(
                            new Endpoints(
                                    new SubmitJobHandler(
                                            idempotent,
                                            new MultipartUpload(blobs, config.maxUploadBytes()),
                                            blobs,
                                            config.allowedInputRoots(),
                                            config.webhookAllow()),
                                    new GetJobHandler(jobs),
                                    new ListFramesHandler(jobs, frames, signer, baseUrl),
                                    new FrameImageHandler(frames, blobs, signer),
                                    new CancelJobHandler(jobs),
                                    new QueueHandler(new QueueRepository(database.dataSource())),
                                    new ListDeadLettersHandler(deadLetters),
                                    new ReplayDeadLetterHandler(
                                            deadLetters,
                                            jobs,
                                            submitter,
                                            config.allowedInputRoots()),
                                    health::healthz,
                                    health::readyz,
                                    new OpenApiHandler(),
                                    new ListOutputsHandler(
                                            jobs,
                                            outputs,
                                            blobs,
                                            outputSigner,
                                            config.outputUrlTtl(),
                                            baseUrl),
                                    new OutputFileHandler(outputs, blobs, outputSigner),
                                    new ListScenesHandler(
                                            jobs, new SceneRepository(database.dataSource())),
                                    new SearchHandler(
                                            new SearchRepository(database.dataSource()),
                                            // Loads the model on the first semantic search only.
                                            text -> TextEmbedder.shared().embed(text),
                                            signer,
                                            baseUrl),
                                    new FrameAnalysesHandler(
                                            frames,
                                            new AnalysisRepository(database.dataSource()))));
            server.start(new Dispatcher(router, new BearerAuth(config.apiToken())));
            if (config.apiToken().length() < 16) {
                LOG.warn("the API token is shorter than 16 characters; use a long random token");
            }
            LOG.info(
                    "ingest API listening on {} (public base URL {}, jobs topic {}, upload limit {}"
                            + " bytes)",
                    server.address(),
                    baseUrl,
                    config.jobsTopic(),
                    config.maxUploadBytes());
            return new IngestApi(resources, server.address().getPort(), baseUrl);
        } catch (IOException | RuntimeException | Error e) {
            closeAll(resources);
            throw e;
        }
    }

    /** The bound TCP port (the real one when the configuration asked for 0). */
    public int port() {
        return port;
    }

    /** The prefix of absolute URLs this API hands out, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Same as {@link #close()}. */
    public void stop() {
        close();
    }

    /** Stops serving, then releases the producer, pool and store; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(resources);
        LOG.info("ingest API on port {} stopped", port);
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> resources, T resource) {
        resources.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("error while closing {}", r.getClass().getSimpleName(), e);
            }
        }
    }

    /**
     * http://host:port of the bound address; a wildcard bind is reached via loopback on this
     * machine.
     */
    static String derivedBaseUrl(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host;
        if (ip == null || ip.isAnyLocalAddress()) {
            host = InetAddress.getLoopbackAddress().getHostAddress();
            LOG.warn(
                    "bound to a wildcard address: frame URLs will name {}; set publicBaseUrl for"
                            + " other clients",
                    host);
        } else {
            host = ip.getHostAddress();
        }
        try {
            // The URI constructor brackets IPv6 literals.
            return new URI("http", null, host, address.getPort(), null, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
