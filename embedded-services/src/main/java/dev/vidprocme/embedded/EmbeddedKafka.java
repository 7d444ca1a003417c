package dev.vidprocme.embedded;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka cluster (one combined broker and controller) running inside this JVM.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

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
                    // The test kit turns these on to exercise Kafka's unreleased protocol; see
                    // releasedMetadata().
                    Map.entry("unstable.api.versions.enable", "false"),
                    Map.entry("unstable.feature.versions.enable", "false"));

    private final KafkaClusterTestKit cluster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker whose settings are the single-node defaults overridden by {@code
     * brokerProps}.
     */
    public static EmbeddedKafka start(Map<String, String> brokerProps) {
        Map<String, String> props = new HashMap<>(SINGLE_NODE_DEFAULTS);
        props.putAll(brokerProps);
        TestKitNodes nodes =
                new TestKitNodes.Builder(releasedMetadata())
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        props.forEach(builder::setConfigProp);
        EmbeddedKafka kafka;
        try {
            kafka = new EmbeddedKafka(builder.build());
        } catch (Exception e) {
            throw failure("Building the Kafka cluster failed", e);
        }
        try {
            formatQuietly(kafka.cluster);
            kafka.cluster.startup();
            kafka.cluster.waitForReadyBrokers();
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

    /**
     * The test kit's storage formatter prints to {@code System.out}, which would land in the middle
     * of a CLI's output; its lines go to the log instead. Formatting happens once, at start-up.
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        synchronized (System.class) {
            System.setOut(
                    new java.io.PrintStream(
                            captured, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
            }
        }
        LOG.debug(
                "kafka storage format: {}",
                captured.toString(java.nio.charset.StandardCharsets.UTF_8).trim());
    }

    public String bootstrapServers() {
        checkOpen();
        return cluster.bootstrapServers();
    }

    /**
     * Client settings that reach this broker: {@code bootstrap.servers}, in a fresh object the
     * caller may extend.
     */
    public Properties clientProperties() {
        checkOpen();
        return cluster.clientProperties();
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

    /** Shuts the cluster down and deletes its logs; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            throw failure("Shutting Kafka down failed", e);
        }
    }

    /**
     * Creation is acknowledged by the controller, but clients talk to the broker, which learns of
     * it a moment later.
     */
    private static boolean haveLeaders(Admin admin, List<String> topics) throws Exception {
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

    /**
     * The metadata version and feature levels a cluster formatted by this Kafka release gets; the
     * test kit defaults to the unreleased next metadata version, which no production broker runs.
     */
    private static BootstrapMetadata releasedMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features =
                Feature.PRODUCTION_FEATURES.stream()
                        .collect(
                                Collectors.toMap(
                                        Feature::featureName,
                                        feature -> feature.defaultLevel(version)));
        return BootstrapMetadata.fromVersions(version, features, "embedded-kafka");
    }

    private void checkOpen() {
        if (closed.get()) {
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
