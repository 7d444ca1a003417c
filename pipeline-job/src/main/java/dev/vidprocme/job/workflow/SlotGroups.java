package dev.vidprocme.job.workflow;

import dev.vidprocme.functions.GpuSettings;
import dev.vidprocme.job.config.PipelineConfig;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The slot sharing groups of GPU mode. GPU work (decoding, which may use NVDEC) runs in the group
 * {@value #GPU}, whose slots request the GPU external resource, so Flink places each of its
 * subtasks on a TaskManager with a GPU to spare; the subtask then leases one of that TaskManager's
 * GPUs ({@link dev.vidprocme.functions.GpuAssignment}).
 *
 * <p>Flink only grants an external resource through fine-grained resource requirements, which must
 * name CPU and task heap too. Once TaskManagers advertise GPUs, a slot without requirements gets
 * the TaskManager's default slot profile, its total divided by {@code
 * taskmanager.numberOfTaskSlots}: GPUs included. The CPU-only operators would then take a share of
 * the GPUs that decode needs, so GPU mode also gives Flink's {@value #DEFAULT} group explicit,
 * GPU-free requirements. The CPU and heap figures are what the slot matcher budgets, not limits the
 * JVM enforces; size TaskManagers ({@code taskmanager.cpu.cores}, memory) so that their GPU slots
 * and default slots fit.
 */
public final class SlotGroups {
    /** The slot sharing group of GPU work. */
    public static final String GPU = "gpu";

    /** Flink's group for operators that name none. */
    static final String DEFAULT = "default";

    /** Task heap of a GPU slot per concurrent segment: JPEGs and frame rows in flight. */
    static final int GPU_HEAP_MB_PER_WORKER = 256;

    /** Task heap of a default slot: plan, split, tracking state and the sinks' buffers. */
    static final int DEFAULT_HEAP_MB = 512;

    private SlotGroups() {}

    /**
     * Puts {@code operator} in the GPU group when GPU mode is on, and leaves it as it is otherwise.
     */
    public static <T> SingleOutputStreamOperator<T> gpuWork(
            SingleOutputStreamOperator<T> operator, PipelineConfig config) {
        if (!config.gpu().enabled()) {
            return operator;
        }
        operator.getExecutionEnvironment().registerSlotSharingGroup(cpuWork(config));
        return operator.slotSharingGroup(gpuGroup(config));
    }

    /**
     * Keeps CPU work that follows GPU work out of the GPU group in GPU mode (an operator otherwise
     * inherits its input's group, and would take GPU slots for work that never uses the GPU).
     */
    public static <T> SingleOutputStreamOperator<T> cpuWork(
            SingleOutputStreamOperator<T> operator, PipelineConfig config) {
        if (!config.gpu().enabled()) {
            return operator;
        }
        operator.getExecutionEnvironment().registerSlotSharingGroup(cpuWork(config));
        return operator.slotSharingGroup(DEFAULT);
    }

    /**
     * The GPU group: the configured share of one GPU, a core per segment decoded at once (FFmpeg
     * parses and the JPEG stage encodes on the CPU even when NVDEC decodes), and heap for them.
     */
    static SlotSharingGroup gpuGroup(PipelineConfig config) {
        GpuSettings gpu = config.gpu();
        return SlotSharingGroup.newBuilder(GPU)
                .setCpuCores(config.decodeWorkers())
                .setTaskHeapMemoryMB(GPU_HEAP_MB_PER_WORKER * config.decodeWorkers())
                .setExternalResource(gpu.resourceName(), gpu.perSubtask())
                .build();
    }

    /** The default group made explicit and GPU-free: a core per probing thread. */
    static SlotSharingGroup cpuWork(PipelineConfig config) {
        return SlotSharingGroup.newBuilder(DEFAULT)
                .setCpuCores(config.planWorkers())
                .setTaskHeapMemoryMB(DEFAULT_HEAP_MB)
                .build();
    }
}
