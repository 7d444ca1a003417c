package dev.vidprocme.functions;

import dev.vidprocme.media.HwAccel;
import java.io.Serializable;

/**
 * How the GPU-tagged operators find and use their GPU, read once from the job's typed configuration
 * and shipped with the functions.
 *
 * @param enabled whether decode runs in the GPU-tagged slot sharing group and leases a GPU
 * @param resourceName the Flink external resource that names GPUs ({@code external-resources})
 * @param perSubtask how much of that resource one GPU-tagged slot requests
 * @param subtasksPerDevice how many GPU-tagged subtasks of one TaskManager may share one GPU
 * @param hwaccel whether FFmpeg decodes on the GPU
 */
public record GpuSettings(
        boolean enabled,
        String resourceName,
        double perSubtask,
        int subtasksPerDevice,
        HwAccel hwaccel)
        implements Serializable {

    public GpuSettings {
        if (resourceName == null || resourceName.isBlank()) {
            throw new IllegalArgumentException("the GPU resource name must not be blank");
        }
        if (!(perSubtask > 0)) {
            throw new IllegalArgumentException(
                    "the GPU amount per subtask must be positive, got " + perSubtask);
        }
        if (subtasksPerDevice < 1) {
            throw new IllegalArgumentException(
                    "subtasks per GPU must be at least 1, got " + subtasksPerDevice);
        }
        if (hwaccel == null) {
            throw new IllegalArgumentException("hwaccel must be set");
        }
    }

    /** GPU mode off: decode in the default slots, on the CPU unless hwaccel says otherwise. */
    public static GpuSettings off() {
        return new GpuSettings(false, "gpu", 1, 1, HwAccel.AUTO);
    }
}
