package dev.vidprocme.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka cluster (one combined broker and controller) running inside this JVM.
 *
 * <p>The node keeps its ports and its log directories for its whole life, so it can be stopped and
 * started again ({@link #stop()}, {@link #restart()}) the way a real broker restarts: clients keep
 * their {@link #bootstrapServers()}, reconnect by themselves, and find every committed record.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String HOST = "127.0.0.1";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;

    /**
     * Free ports are picked by binding and releasing them, so another process can take one before
     * the broker binds it; a first start then tries new ones.
     */
    private static final int PORT_ATTEMPTS = 3;

    /**
     * Internal topics default to three replicas and many partitions, which one node cannot or need
     * not host.
     */
    private static final Map<String, String> SINGLE_NODE_DEFAULTS =
            Map.ofEntries(
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "1"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "1"),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    Map.entry("min.insync.replicas", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    Map.entry("auto.create.topics.enable", "false"),
                    // The log cleaner would reserve 128 MiB of heap for a job topics never need.
                    Map.entry("log.cleaner.dedupe.buffer.size", "2097152"),
                    // A node that cannot start fails within this instead of waiting forever.
                    Map.entry("server.max.startup.time.ms", "120000"),
                    // Only what this Kafka release ships; see format().
                    Map.entry("unstable.api.versions.enable", "false"),
                    Map.entry("unstable.feature.versions.enable", "false"));

    private final Path directory;
    private final Map<String, String> settings;
    private volatile int brokerPort;
    private volatile int controllerPort;
    private KafkaNode node;
    private volatile boolean closed;

    private EmbeddedKafka(Path directory, Map<String, String> settings) {
        this.directory = directory;
        this.settings = settings;
    }

    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker whose settings are the single-node defaults overridden by {@code
     * brokerProps}; the listeners, ports and directories are this class's to choose.
     */
    public static EmbeddedKafka start(Map<String, String> brokerProps) {
        Map<String, String> settings = new HashMap<>(SINGLE_NODE_DEFAULTS);
        settings.putAll(brokerProps);
        EmbeddedKafka kafka;
        try {
            kafka = new EmbeddedKafka(Files.createTempDirectory("vidproc-kafka-"), settings);
        } catch (IOException e) {
            throw failure("Creating the Kafka directory failed", e);
        }
        try {
            kafka.format();
            kafka.startFirstTime();
        } catch (Exception e) {
            IllegalStateException failure = failure("Starting Kafka failed", e);
            try {
                kafka.close();
            } catch (RuntimeException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        LOG.info("Kafka is ready at {}", kafka.bootstrapServers());
        return kafka;
    }

    /** {@code host:port} of the broker; the same before and after a restart. */
    public String bootstrapServers() {
        checkOpen();
        return HOST + ":" + brokerPort;
    }

    /**
     * Client settings that reach this broker: {@code bootstrap.servers}, in a fresh object the
     * caller may extend.
     */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /**
     * Creates the topics with a replication factor of 1, skipping those that already exist, and
     * returns once the broker serves every partition of them.
     */
    public void createTopics(int partitions, String... names) {
        checkOpen();
        List<String> topics = List.of(names);
        try (Admin admin = Admin.create(clientProperties())) {
            List<NewTopic> requests =
                    topics.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
            for (KafkaFuture<Void> created : admin.createTopics(requests).values().values()) {
                try {
                    created.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Await.until(
                    TOPIC_TIMEOUT,
                    "Leaders for topics " + topics,
                    () -> haveLeaders(admin, topics));
        } catch (Exception e) {
            throw failure("Creating topics " + Arrays.toString(names) + " failed", e);
        }
    }

    /**
     * Shuts the broker down cleanly, keeping its data and ports, so that clients see an outage
     * until {@link #restart()}; a no-op when already stopped.
     */
    public synchronized void stop() {
        checkOpen();
        if (node == null) {
            return;
        }
        try {
            node.shutdown();
        } catch (RuntimeException e) {
            throw failure("Stopping Kafka failed", e);
        } finally {
            node = null;
        }
        LOG.info("Kafka at {} is stopped", bootstrapServers());
    }

    /**
     * Stops the broker if it runs, then starts it again on the same ports and log directories, and
     * returns once it leads every partition again (so acknowledged records are readable).
     */
    public synchronized void restart() {
        stop();
        try {
            node = KafkaNode.start(nodeProperties());
            awaitReady();
        } catch (Exception e) {
            throw failure("Restarting Kafka at " + bootstrapServers() + " failed", e);
        }
        LOG.info("Kafka is ready again at {}", bootstrapServers());
    }

    /** Shuts the broker down and deletes its logs; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (node != null) {
            try {
                node.shutdown();
            } catch (RuntimeException e) {
                failure = failure("Shutting Kafka down failed", e);
            } finally {
                node = null;
            }
        }
        try {
            Directories.deleteRecursively(directory);
        } catch (IOException e) {
            IllegalStateException deleting = failure("Deleting " + directory + " failed", e);
            if (failure == null) {
                failure = deleting;
            } else {
                failure.addSuppressed(deleting);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Formats the log directories once, for the metadata version and feature levels this Kafka
     * release ships: the formatter's defaults, which production brokers run too. The formatter
     * prints what it did; that goes to the debug log rather than into a CLI's output.
     */
    private void format() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(metadataDirectory().toString(), logDirectory().toString()))
                .setMetadataLogDirectory(metadataDirectory().toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .run();
        LOG.debug("kafka storage format: {}", printed.toString(StandardCharsets.UTF_8).trim());
    }

    private synchronized void startFirstTime() throws Exception {
        for (int attempt = 1; ; attempt++) {
            brokerPort = freePort();
            controllerPort = freePort();
            try {
                node = KafkaNode.start(nodeProperties());
                break;
            } catch (RuntimeException e) {
                if (attempt == PORT_ATTEMPTS || !causedBy(e, BindException.class)) {
                    throw e;
                }
                LOG.info(
                        "Port {} or {} was taken meanwhile; trying others",
                        brokerPort,
                        controllerPort);
            }
        }
        awaitReady();
    }

    /** The complete node configuration: the settings plus the fixed listeners and directories. */
    private Map<String, Object> nodeProperties() {
        Map<String, Object> properties = new HashMap<>(settings);
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", Integer.toString(NODE_ID));
        properties.put(
                "listeners",
                BROKER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + brokerPort
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + controllerPort);
        properties.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        properties.put(
                "listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("inter.broker.listener.name", BROKER_LISTENER);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put("metadata.log.dir", metadataDirectory().toString());
        properties.put("log.dirs", logDirectory().toString());
        return properties;
    }

    /**
     * Waits until every partition, internal ones included, has a leader: the broker is unfenced
     * when it starts, but leaders are elected a moment later, and until then reads fail.
     */
    private void awaitReady() throws Exception {
        Properties properties = clientProperties();
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(properties)) {
            Await.until(
                    READY_TIMEOUT,
                    "Kafka at " + bootstrapServers() + " leading every partition",
                    () -> {
                        try {
                            Set<String> topics =
                                    admin.listTopics(new ListTopicsOptions().listInternal(true))
                                            .names()
                                            .get();
                            return !admin.describeCluster().nodes().get().isEmpty()
                                    && haveLeaders(admin, List.copyOf(topics));
                        } catch (ExecutionException | TimeoutException notYet) {
                            return false;
                        }
                    });
        }
    }

    /**
     * Creation is acknowledged by the controller, but clients talk to the broker, which learns of
     * it a moment later.
     */
    private static boolean haveLeaders(Admin admin, List<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return true;
        }
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(topics).allTopicNames().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
        return descriptions.values().stream()
                .flatMap(description -> description.partitions().stream())
                .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
    }

    private Path metadataDirectory() {
        return directory.resolve("metadata");
    }

    private Path logDirectory() {
        return directory.resolve("logs");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("This Kafka cluster is closed");
        }
    }

    private static IllegalStateException failure(String message, Exception cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(message + ": " + cause.getMessage(), cause);
    }
}
