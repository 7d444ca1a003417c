package dev.vidprocme.job.testing;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.runtime.blob.BlobCacheService;
import org.apache.flink.runtime.blob.BlobUtils;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.entrypoint.WorkingDirectory;
import org.apache.flink.runtime.externalresource.ExternalResourceUtils;
import org.apache.flink.runtime.heartbeat.HeartbeatServices;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.security.token.DelegationTokenReceiverRepository;
import org.apache.flink.runtime.taskexecutor.TaskExecutor;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.util.Reference;

/**
 * A MiniCluster whose TaskManagers discover external resources (GPUs) the way a TaskManager of a
 * real cluster does: through the drivers that {@code external-resources} names, loaded from the
 * plugins folder ({@code FLINK_PLUGINS_DIR}).
 *
 * <p>Flink's own MiniCluster (2.3.0) starts every TaskManager with {@code
 * ExternalResourceInfoProvider.NO_EXTERNAL_RESOURCES}: slots still request and count the resource
 * (the amounts come from the configuration), but {@code getExternalResourceInfos} is empty in every
 * task. So this cluster starts its TaskManagers itself, as {@code TaskManagerRunner} does on a
 * host, with {@code ExternalResourceUtils.createStaticExternalResourceInfoProviderFromConfig}; the
 * rest is the MiniCluster's (JobManager, ResourceManager, high availability, metrics). Its
 * TaskManagers talk to the JobManager over loopback RPC, hence {@link RpcServiceSharing#DEDICATED}.
 */
public final class GpuMiniCluster extends MiniCluster {
    private final AtomicReference<RpcSystem> rpcSystem;
    private final Path workDir;
    private final List<Runnable> closers = new CopyOnWriteArrayList<>();
    private final List<Throwable> fatalErrors = new CopyOnWriteArrayList<>();
    private final List<TaskExecutor> taskExecutors = new CopyOnWriteArrayList<>();
    private volatile MetricRegistryImpl metricRegistry;
    private volatile PluginManager pluginManager;
    // TaskManagers asked for while the rest of the cluster starts; they start once it runs.
    private int pending;
    private volatile boolean running;

    private GpuMiniCluster(
            MiniClusterConfiguration configuration,
            AtomicReference<RpcSystem> rpcSystem,
            Path dir) {
        super(
                configuration,
                () -> {
                    RpcSystem system = RpcSystem.load(configuration.getConfiguration());
                    rpcSystem.set(system);
                    return Reference.owned(system);
                });
        this.rpcSystem = rpcSystem;
        this.workDir = dir;
    }

    /**
     * A cluster of {@code taskManagers} TaskManagers with {@code slots} slots each, configured by
     * {@code config} (external resources included), keeping its files under {@code dir}.
     */
    public static GpuMiniCluster create(
            Configuration config, int taskManagers, int slots, Path dir) {
        // Any free port for the REST endpoint: 8081 may belong to a running ./vidproc local.
        config.set(RestOptions.BIND_PORT, "0");
        MiniClusterConfiguration configuration =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(config)
                        .setNumTaskManagers(taskManagers)
                        .setNumSlotsPerTaskManager(slots)
                        .setRpcServiceSharing(RpcServiceSharing.DEDICATED)
                        .build();
        return new GpuMiniCluster(configuration, new AtomicReference<>(), dir);
    }

    @Override
    protected MetricRegistryImpl createMetricRegistry(Configuration config, long maxFrameSize) {
        metricRegistry = super.createMetricRegistry(config, maxFrameSize);
        return metricRegistry;
    }

    /** Starts the cluster, then its TaskManagers, which need the running blob server's port. */
    @Override
    public void start() throws Exception {
        super.start();
        running = true;
        for (; pending > 0; pending--) {
            startTaskManager();
        }
    }

    /** Starts one TaskManager as a standalone TaskManager process would, in this JVM. */
    @Override
    public void startTaskManager() throws Exception {
        if (!running) {
            pending++;
            return;
        }
        Configuration config = getConfiguration();
        if (pluginManager == null) {
            pluginManager = PluginUtils.createPluginManagerFromRootFolder(config);
        }
        int number = taskExecutors.size();
        File dir = Files.createDirectories(workDir.resolve("tm_" + number)).toFile();
        RpcService rpc =
                createRemoteRpcService(config, "localhost", "0", "localhost", rpcSystem.get());
        closers.add(0, () -> rpc.closeAsync().join());
        WorkingDirectory working = WorkingDirectory.create(dir);
        BlobCacheService blobs =
                BlobUtils.createBlobCacheService(
                        config,
                        Reference.borrowed(working.getBlobStorageDirectory()),
                        getHaServices().createBlobStore(),
                        new InetSocketAddress(
                                InetAddress.getLoopbackAddress(),
                                getClusterInformation().getBlobServerPort()));
        closers.add(0, () -> closeQuietly(blobs));
        TaskExecutor taskExecutor =
                TaskManagerRunner.startTaskManager(
                        config,
                        new ResourceID("gpu-tm-" + number + "-" + UUID.randomUUID()),
                        rpc,
                        getHaServices(),
                        HeartbeatServices.fromConfiguration(config),
                        metricRegistry,
                        blobs,
                        false,
                        ExternalResourceUtils.createStaticExternalResourceInfoProviderFromConfig(
                                config, pluginManager),
                        working,
                        fatalErrors::add,
                        new DelegationTokenReceiverRepository(config, pluginManager));
        taskExecutor.start();
        taskExecutors.add(taskExecutor);
        closers.add(0, () -> taskExecutor.closeAsync().join());
    }

    /** Errors the TaskManagers could not handle; a healthy run has none. */
    public List<Throwable> fatalErrors() {
        return List.copyOf(fatalErrors);
    }

    /** Stops the TaskManagers started here, then the rest of the cluster. */
    @Override
    public CompletableFuture<Void> closeAsync() {
        List<Runnable> toRun = new ArrayList<>(closers);
        closers.clear();
        toRun.forEach(Runnable::run);
        return super.closeAsync();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Shutting down: nothing left to do with it.
        }
    }
}
