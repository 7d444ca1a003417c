package dev.vidprocme.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.vidprocme.media.HwAccel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.util.MockStreamingRuntimeContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Leasing GPUs among the subtasks of TaskManagers, each seen through the runtime context Flink
 * gives a subtask: the GPU indices its TaskManager advertises.
 */
class GpuAssignmentTest {
    private static final GpuSettings EXCLUSIVE = new GpuSettings(true, "gpu", 1, 1, HwAccel.AUTO);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void releaseEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        assertThat(GpuAssignment.leases()).as("leases left behind").isEmpty();
    }

    @Test
    void subtasksOfOneTaskManagerGetDifferentGpus() {
        Set<Integer> leased =
                IntStream.range(0, 2)
                        .mapToObj(i -> acquire(subtask(i, "gpu", 0, 1), EXCLUSIVE).index())
                        .collect(Collectors.toSet());

        assertThat(leased).containsExactlyInAnyOrder(0, 1);
        assertThat(GpuAssignment.leases())
                .extracting(GpuAssignment.Lease::subtask, GpuAssignment.Lease::gpu)
                .hasSize(2);
    }

    @Test
    void aSubtaskBeyondTheGpusOfItsTaskManagerIsRefusedNamingTheSettings() {
        acquire(subtask(0, "gpu", 4), EXCLUSIVE);

        assertThatIllegalStateException()
                .isThrownBy(() -> acquire(subtask(1, "gpu", 4), EXCLUSIVE))
                .withMessageContaining("indices [4]")
                .withMessageContaining("vidproc.gpu.subtasks-per-device");
    }

    @Test
    void subtasksShareAGpuOnlyAsFarAsAllowedAndSpreadFirst() {
        GpuSettings twoPerGpu = new GpuSettings(true, "gpu", 0.5, 2, HwAccel.AUTO);

        List<Integer> leased =
                IntStream.range(0, 4)
                        .mapToObj(i -> acquire(subtask(i, "gpu", 0, 1), twoPerGpu).index())
                        .toList();

        assertThat(leased.subList(0, 2)).as("one each before any sharing").containsExactly(0, 1);
        assertThat(leased).containsExactlyInAnyOrder(0, 0, 1, 1);
        assertThatIllegalStateException()
                .isThrownBy(() -> acquire(subtask(4, "gpu", 0, 1), twoPerGpu));
    }

    @Test
    void closingReleasesTheGpuForTheNextSubtask() {
        GpuAssignment first = acquire(subtask(0, "gpu", 2), EXCLUSIVE);
        first.close();
        first.close();

        assertThat(acquire(subtask(1, "gpu", 2), EXCLUSIVE).index()).isEqualTo(2);
    }

    @Test
    void taskManagersWithTheirOwnIndicesLeaseIndependently() {
        // What coordination mode gives several TaskManagers of one host (and of one MiniCluster).
        List<Integer> leased = new ArrayList<>();
        for (int tm = 0; tm < 3; tm++) {
            for (int slot = 0; slot < 2; slot++) {
                leased.add(
                        acquire(subtask(tm * 2 + slot, "gpu", 2 * tm, 2 * tm + 1), EXCLUSIVE)
                                .index());
            }
        }

        assertThat(leased).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void taskManagersInOneJvmAdvertisingTheSameGpusNeverDoubleBookOne() {
        // Without coordination every TaskManager of a host advertises every GPU of the host.
        acquire(subtask(0, "gpu", 0, 1), EXCLUSIVE);
        acquire(subtask(1, "gpu", 0, 1), EXCLUSIVE);

        assertThatIllegalStateException()
                .isThrownBy(() -> acquire(subtask(2, "gpu", 0, 1), EXCLUSIVE))
                .withMessageContaining("indices [0, 1]");
    }

    @Test
    void withoutGpuModeNothingIsLeasedOrNeeded() {
        GpuAssignment none = acquire(subtask(0, "gpu"), GpuSettings.off());

        assertThat(none.index()).isNull();
        assertThat(GpuAssignment.leases()).isEmpty();
    }

    @Test
    void gpuModeOnATaskManagerWithoutGpusFailsSayingHowToFixIt() {
        assertThatIllegalStateException()
                .isThrownBy(() -> acquire(subtask(0, "fpga", 0), EXCLUSIVE))
                .withMessageContaining("advertises no external resource 'gpu'")
                .withMessageContaining("external-resources: gpu");
    }

    @Test
    void aDiscoveryScriptThatPrintsNoIndexIsReported() {
        assertThatIllegalStateException()
                .isThrownBy(() -> acquire(subtask(0, "gpu", "GPU-3f2a"), EXCLUSIVE))
                .withMessageContaining("'GPU-3f2a'");
    }

    private GpuAssignment acquire(MockStreamingRuntimeContext context, GpuSettings settings) {
        GpuAssignment lease = GpuAssignment.acquire(context, settings);
        toClose.add(lease);
        return lease;
    }

    /** Subtask {@code index} of a TaskManager that advertises {@code indices} as {@code name}. */
    private MockStreamingRuntimeContext subtask(int index, String name, Object... indices) {
        Set<ExternalResourceInfo> infos =
                java.util.Arrays.stream(indices)
                        .map(i -> (ExternalResourceInfo) new TestingGpuInfo(i.toString()))
                        .collect(Collectors.toSet());
        MockEnvironment environment =
                new MockEnvironmentBuilder()
                        .setTaskName("decode")
                        .setParallelism(8)
                        .setMaxParallelism(8)
                        .setSubtaskIndex(index)
                        .setExternalResourceInfoProvider(
                                resource -> resource.equals(name) ? infos : Set.of())
                        .build();
        toClose.add(environment);
        return new MockStreamingRuntimeContext(8, index, environment);
    }

    /** What Flink's GPU driver reports for one GPU: its index. */
    private record TestingGpuInfo(String index) implements ExternalResourceInfo {
        @Override
        public Optional<String> getProperty(String key) {
            return key.equals(GpuAssignment.INDEX_PROPERTY) ? Optional.of(index) : Optional.empty();
        }

        @Override
        public Collection<String> getKeys() {
            return List.of(GpuAssignment.INDEX_PROPERTY);
        }
    }
}
