package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.job.config.PipelineConfig;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.resources.ExternalResource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The slot requests of the production graph, read from the job graph Flink builds: in GPU mode the
 * decode slots ask for a GPU and every other slot says what it needs without one.
 */
class SlotGroupsTest {
    @Test
    void gpuModePutsDecodeInGpuSlotsAndEverythingElseInGpuFreeSlots() {
        List<JobVertex> vertices = jobVertices(Map.of("vidproc.gpu.enabled", "true"));

        JobVertex decode = only(vertices, "decode");
        ResourceProfile gpuSlot = decode.getSlotSharingGroup().getResourceProfile();
        assertThat(gpuSlot.getExtendedResources())
                .containsEntry("gpu", new ExternalResource("gpu", 1.0));
        assertThat(gpuSlot.getCpuCores().getValue()).isEqualByComparingTo(new BigDecimal(3));
        // Only decoding takes GPU slots: analysis, captions and transcoding (libx264 on the CPU)
        // run in GPU-free slots.
        assertThat(vertices)
                .filteredOn(v -> v.getSlotSharingGroup() == decode.getSlotSharingGroup())
                .extracting(JobVertex::getName)
                .containsExactly("decode");
        assertThat(vertices)
                .filteredOn(v -> v.getSlotSharingGroup() != decode.getSlotSharingGroup())
                .isNotEmpty()
                .allSatisfy(
                        v -> {
                            ResourceProfile slot = v.getSlotSharingGroup().getResourceProfile();
                            assertThat(slot).as(v.getName()).isNotEqualTo(ResourceProfile.UNKNOWN);
                            assertThat(slot.getExtendedResources()).as(v.getName()).isEmpty();
                            assertThat(v.getSlotSharingGroup())
                                    .isNotSameAs(decode.getSlotSharingGroup());
                        });
    }

    @Test
    void gpuModeRequestsTheConfiguredResourceAndShare() {
        List<JobVertex> vertices =
                jobVertices(
                        Map.of(
                                "vidproc.gpu.enabled", "true",
                                "vidproc.gpu.resource-name", "nvidia",
                                "vidproc.gpu.per-subtask", "0.5",
                                "vidproc.gpu.subtasks-per-device", "2"));

        assertThat(only(vertices, "decode").getSlotSharingGroup().getResourceProfile())
                .satisfies(
                        slot ->
                                assertThat(slot.getExtendedResources())
                                        .containsOnlyKeys("nvidia")
                                        .containsEntry(
                                                "nvidia", new ExternalResource("nvidia", 0.5)));
    }

    @Test
    void withoutGpuModeNoSlotStatesItsResources() {
        assertThat(jobVertices(Map.of()))
                .allSatisfy(
                        v ->
                                assertThat(v.getSlotSharingGroup().getResourceProfile())
                                        .as(v.getName())
                                        .isEqualTo(ResourceProfile.UNKNOWN));
    }

    private static List<JobVertex> jobVertices(Map<String, String> settings) {
        Configuration c = new Configuration();
        c.setString("vidproc.kafka.bootstrap-servers", "kafka:9092");
        c.setString("vidproc.db.url", "jdbc:postgresql://db:5432/vidproc");
        c.setString("vidproc.blob.uri", "file:///data/blobs");
        c.setString("vidproc.decode.workers", "3");
        settings.forEach(c::setString);
        PipelineConfig config = PipelineConfig.from(c);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(4);
        VideoPipeline.defineWorkflow(
                env, VideoPipeline.Io.of(config), config, Backends.production());
        return List.of(
                env.getStreamGraph()
                        .getJobGraph()
                        .getVerticesSortedTopologicallyFromSources()
                        .toArray(JobVertex[]::new));
    }

    private static JobVertex only(List<JobVertex> vertices, String name) {
        return vertices.stream()
                .filter(v -> v.getName().startsWith(name))
                .reduce(
                        (a, b) -> {
                            throw new AssertionError("two vertices named " + name);
                        })
                .orElseThrow();
    }
}
