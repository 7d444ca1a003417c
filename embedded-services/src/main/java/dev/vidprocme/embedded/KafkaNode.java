package dev.vidprocme.embedded;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.SharedServer;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.ServerSocketFactory;
import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * One run of a combined KRaft broker and controller over already formatted directories. A stopped
 * node cannot start again, so {@link EmbeddedKafka} builds a new one on the same directories and
 * ports to restart.
 *
 * <p>It is assembled from the same parts {@code KafkaRaftServer} uses, with one difference: a fault
 * Kafka deems fatal is logged instead of halting the process, because this process is a test JVM or
 * the local stack, not a dedicated broker.
 */
final class KafkaNode {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);

    private final ControllerServer controller;
    private final BrokerServer broker;

    private KafkaNode(ControllerServer controller, BrokerServer broker) {
        this.controller = controller;
        this.broker = broker;
    }

    /**
     * Starts a node with {@code properties} (a complete KRaft combined-mode configuration) and
     * returns once the broker is registered and unfenced.
     */
    static KafkaNode start(Map<String, Object> properties) {
        KafkaConfig config = new KafkaConfig(properties, false);
        Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> directories =
                KafkaRaftServer.initializeLogDirs(config, LOG, "[embedded-kafka] ");
        SharedServer shared =
                new SharedServer(
                        config,
                        directories._1(),
                        Time.SYSTEM,
                        new Metrics(),
                        CompletableFuture.completedFuture(
                                QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
                        QuorumConfig.parseBootstrapServers(
                                config.quorumConfig().bootstrapServers()),
                        KafkaNode::faultHandler,
                        ServerSocketFactory.INSTANCE);
        KafkaNode node =
                new KafkaNode(
                        new ControllerServer(
                                shared, KafkaRaftServer.configSchema(), directories._2()),
                        new BrokerServer(shared));
        try {
            // The controller first, so that the broker finds a quorum to register with.
            node.controller.startup();
            node.broker.startup();
        } catch (RuntimeException e) {
            try {
                node.shutdown();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return node;
    }

    /** Shuts down cleanly, so the next node on these directories needs no log recovery. */
    void shutdown() {
        // The broker first: its controlled shutdown asks the controller, as in KafkaRaftServer.
        broker.shutdown();
        controller.shutdown();
    }

    /**
     * Logs a fault and runs Kafka's clean-up action for it; Kafka's own factory would halt the JVM
     * on a fatal one.
     */
    private static FaultHandler faultHandler(String name, boolean fatal, Runnable action) {
        return new LoggingFaultHandler(fatal ? "fatal " + name : name, action);
    }
}
