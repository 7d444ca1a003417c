package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.job.config.ConfigSources;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.config.PipelineOptions;
import dev.vidprocme.media.HwAccel;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalResourceOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.externalresource.ExternalResourceUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code flink-conf/config.yaml}, read by Flink's own parser: every key is one Flink or the
 * pipeline knows, the GPU resource is declared with Flink's real driver, and a TaskManager it
 * describes holds the slots GPU mode asks for.
 */
class FlinkConfYamlTest {
    private static final Path DIR = Path.of("..", "flink-conf").toAbsolutePath().normalize();
    private static final String GPU_DRIVER =
            "org.apache.flink.externalresource.gpu.GPUDriverFactory";

    /** Where the build lays out Flink's GPU plugin (see the pom). */
    private static final Path GPU_PLUGIN =
            Path.of("target", "flink-plugins", "external-resource-gpu");

    private static Configuration flink;

    @BeforeAll
    static void load() {
        assertThat(DIR.resolve("config.yaml")).isRegularFile();
        flink = GlobalConfiguration.loadConfiguration(DIR.toString());
    }

    @Test
    void everyKeyIsAnOptionOfFlinkOrOfThePipeline() throws Exception {
        Set<String> known = new HashSet<>();
        for (Class<?> options :
                List.of(
                        CoreOptions.class,
                        JobManagerOptions.class,
                        TaskManagerOptions.class,
                        CheckpointingOptions.class,
                        StateBackendOptions.class,
                        RestartStrategyOptions.class,
                        PipelineOptions.class)) {
            known.addAll(keysOf(options));
        }
        List<String> prefixes =
                List.of(
                        "external-resource.gpu.",
                        "metrics.reporter.prom.",
                        ResourceManagerOptions.CONTAINERIZED_TASK_MANAGER_ENV_PREFIX);

        assertThat(flink.keySet())
                .isNotEmpty()
                .allSatisfy(
                        key ->
                                assertThat(
                                                known.contains(key)
                                                        || key.equals("external-resources")
                                                        || prefixes.stream()
                                                                .anyMatch(key::startsWith))
                                        .as("%s is a key Flink 2.3 or vidprocme reads", key)
                                        .isTrue());
    }

    @Test
    void declaresTheGpuResourceWithFlinksGpuDriverInCoordinationMode() throws Exception {
        assertThat(flink.get(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST))
                .containsExactly("gpu");
        assertThat(ExternalResourceUtils.getExternalResourcesCollection(flink))
                .singleElement()
                .satisfies(
                        gpu -> {
                            assertThat(gpu.getName()).isEqualTo("gpu");
                            assertThat(gpu.getValue().intValueExact()).isEqualTo(2);
                        });
        assertThat(flink.getString("external-resource.gpu.driver-factory.class", null))
                .isEqualTo(GPU_DRIVER);
        assertThat(flink.getString("external-resource.gpu.param.discovery-script.args", ""))
                .contains("--enable-coordination-mode");
        assertThat(flink.getString("external-resource.gpu.param.discovery-script.path", ""))
                .endsWith("external-resource-gpu/nvidia-gpu-discovery.sh");
        assertThat(flink.toMap())
                .containsEntry("containerized.taskmanager.env.CUDA_DEVICE_ORDER", "PCI_BUS_ID");

        // The driver and the keys it reads, from the real plugin jar.
        Path jar = GPU_PLUGIN.resolve("flink-external-resource-gpu-2.3.0.jar");
        assertThat(jar).isRegularFile();
        try (URLClassLoader plugin =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            assertThat(plugin.loadClass(GPU_DRIVER)).isNotNull();
            Set<String> driverKeys =
                    keysOf(
                            plugin.loadClass(
                                    "org.apache.flink.externalresource.gpu.GPUDriverOptions"));
            assertThat(driverKeys).contains("discovery-script.path", "discovery-script.args");
        }
        assertThat(GPU_PLUGIN.resolve("nvidia-gpu-discovery.sh")).isRegularFile();
    }

    @Test
    void checkpointsExactlyOnceRestartsWithBackoffAndReportsToPrometheus() {
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:///");
        assertThat(flink.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(flink.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(flink.getString("metrics.reporter.prom.factory.class", null))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }

    @Test
    void thePipelineRunsInGpuModeOnThisCluster() {
        PipelineConfig config = pipelineConfig();

        assertThat(config.gpu().enabled()).isTrue();
        assertThat(config.gpu().resourceName()).isEqualTo("gpu");
        assertThat(config.gpu().hwaccel()).isEqualTo(HwAccel.AUTO);
    }

    @Test
    void aTaskManagerHoldsAGpuSlotPerGpuBesideAsManyDefaultSlots() {
        PipelineConfig config = pipelineConfig();
        TaskExecutorProcessSpec taskManager = TaskExecutorProcessUtils.processSpecFromConfig(flink);
        SlotSharingGroup gpu = SlotGroups.gpuGroup(config);
        SlotSharingGroup other = SlotGroups.cpuWork(config);
        double gpus = taskManager.getExtendedResources().get("gpu").getValue().doubleValue();
        double gpuSlots = gpus / gpu.getExternalResources().get("gpu");
        // One decode subtask per GPU and the same parallelism elsewhere, spread evenly.
        double defaultSlots = gpuSlots;

        double cores =
                gpuSlots * gpu.getCpuCores().orElseThrow()
                        + defaultSlots * other.getCpuCores().orElseThrow();
        long heap =
                (long)
                        (gpuSlots * gpu.getTaskHeapMemory().orElseThrow().getBytes()
                                + defaultSlots
                                        * other.getTaskHeapMemory().orElseThrow().getBytes());

        assertThat(flink.get(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE))
                .isEqualTo(TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        assertThat(cores).isLessThanOrEqualTo(taskManager.getCpuCores().getValue().doubleValue());
        assertThat(MemorySize.ofMebiBytes(heap / (1 << 20)))
                .isLessThanOrEqualTo(taskManager.getTaskHeapSize());
        assertThat(gpu.getExternalResources()).containsOnlyKeys("gpu");
        assertThat(other.getExternalResources()).isEmpty();
    }

    private static PipelineConfig pipelineConfig() {
        return PipelineConfig.from(
                ConfigSources.merge(
                        flink,
                        Map.of(
                                "VIDPROC_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                                "VIDPROC_DB_URL", "jdbc:postgresql://db:5432/vidproc",
                                "VIDPROC_BLOB_URI", "file:///data/blobs"),
                        new String[0]));
    }

    /** Every key, deprecated and fallback keys included, of the options a class declares. */
    private static Set<String> keysOf(Class<?> options) throws IllegalAccessException {
        Set<String> keys = new HashSet<>();
        for (Field field : options.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                keys.add(option.key());
                for (FallbackKey fallback : option.fallbackKeys()) {
                    keys.add(fallback.getKey());
                }
            }
        }
        return keys;
    }
}
