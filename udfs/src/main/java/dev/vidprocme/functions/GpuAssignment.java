package dev.vidprocme.functions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * The GPU one GPU-tagged subtask uses: one of the GPUs its TaskManager advertises through Flink's
 * external resource framework, leased so that no two subtasks of the TaskManager share a GPU unless
 * {@code vidproc.gpu.subtasks-per-device} allows it.
 *
 * <p>Flink tells a subtask every GPU of its TaskManager ({@code getExternalResourceInfos}), not
 * which one is its own; the slot request only makes sure the TaskManager has enough GPUs for its
 * GPU-tagged slots. So subtasks pick among the advertised indices through a lease table. The table
 * is per JVM and keyed by GPU index, which is right because a JVM never spans hosts, so within one
 * JVM an index names one physical device:
 *
 * <ul>
 *   <li>a real cluster runs one TaskManager per JVM, so the table is exactly that TaskManager's;
 *   <li>a MiniCluster runs several TaskManagers in one JVM, and Flink's GPU discovery script in
 *       coordination mode hands each TaskManager of a host different indices, so their candidates
 *       never overlap and each TaskManager in effect has its own table;
 *   <li>without coordination mode, TaskManagers of one host all advertise every GPU: those in one
 *       JVM then share the table and never double-book an index, but TaskManagers in different JVMs
 *       of one host cannot see each other's leases. Run the discovery script with {@code
 *       --enable-coordination-mode} whenever a host runs more than one TaskManager.
 * </ul>
 *
 * <p>A lease ends when the subtask closes, which Flink does on failure as well as on cancel, before
 * the slot is offered again.
 */
public final class GpuAssignment implements AutoCloseable {
    /** The property of Flink's GPU resource info that holds the GPU index. */
    public static final String INDEX_PROPERTY = "index";

    /**
     * One lease, as the read-only view shows it.
     *
     * @param taskManager the TaskManager's resource id
     * @param advertised every GPU index the TaskManager advertises
     * @param task the leasing task's name
     * @param subtask the leasing subtask's index
     * @param gpu the leased GPU index
     */
    public record Lease(
            String taskManager, Set<Integer> advertised, String task, int subtask, int gpu) {}

    private static final Object LOCK = new Object();

    // Guarded by LOCK: who holds each GPU index of this JVM.
    private static final Map<Integer, List<Lease>> HOLDERS = new HashMap<>();

    private static final GpuAssignment NONE = new GpuAssignment(null);

    private final Lease lease;

    private GpuAssignment(Lease lease) {
        this.lease = lease;
    }

    /**
     * Leases a GPU for the subtask behind {@code context} when GPU mode is on.
     *
     * @return the lease; without GPU mode one whose {@link #index()} is null
     * @throws IllegalStateException when GPU mode is on and the TaskManager advertises no GPU, or
     *     every GPU it advertises is taken
     */
    public static GpuAssignment acquire(RuntimeContext context, GpuSettings settings) {
        if (!settings.enabled()) {
            return NONE;
        }
        Set<Integer> advertised =
                advertisedIndices(context.getExternalResourceInfos(settings.resourceName()));
        String task = context.getTaskInfo().getTaskName();
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        if (advertised.isEmpty()) {
            throw new IllegalStateException(
                    "GPU mode is on (vidproc.gpu.enabled) but the TaskManager running "
                            + task
                            + " ("
                            + (subtask + 1)
                            + ") advertises no external resource '"
                            + settings.resourceName()
                            + "': give it 'external-resources: "
                            + settings.resourceName()
                            + "' with an amount and the GPU driver in its config.yaml (see"
                            + " flink-conf/config.yaml), or check vidproc.gpu.resource-name");
        }
        String taskManager = taskManagerId(context);
        synchronized (LOCK) {
            Integer gpu =
                    advertised.stream()
                            .filter(i -> holders(i) < settings.subtasksPerDevice())
                            .min(Comparator.comparingInt(GpuAssignment::holders))
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "every GPU of the TaskManager running "
                                                            + task
                                                            + " ("
                                                            + (subtask + 1)
                                                            + "), indices "
                                                            + advertised
                                                            + ", already serves "
                                                            + settings.subtasksPerDevice()
                                                            + " subtask(s), the most"
                                                            + " vidproc.gpu.subtasks-per-device"
                                                            + " allows; raise it, or request more"
                                                            + " of the resource per slot"
                                                            + " (vidproc.gpu.per-subtask)"));
            Lease lease = new Lease(taskManager, advertised, task, subtask, gpu);
            HOLDERS.computeIfAbsent(gpu, i -> new ArrayList<>()).add(lease);
            return new GpuAssignment(lease);
        }
    }

    /** The leased GPU's index (the CUDA device ordinal), or null without GPU mode. */
    public Integer index() {
        return lease == null ? null : lease.gpu();
    }

    /** Ends the lease; safe to call more than once. */
    @Override
    public void close() {
        if (lease == null) {
            return;
        }
        synchronized (LOCK) {
            List<Lease> holders = HOLDERS.get(lease.gpu());
            if (holders != null) {
                holders.remove(lease);
                if (holders.isEmpty()) {
                    HOLDERS.remove(lease.gpu());
                }
            }
        }
    }

    /** Every lease held in this JVM now: what operators and tests can check the assignment by. */
    public static List<Lease> leases() {
        synchronized (LOCK) {
            return HOLDERS.values().stream().flatMap(List::stream).toList();
        }
    }

    // Called with LOCK held.
    private static int holders(int gpu) {
        List<Lease> holders = HOLDERS.get(gpu);
        return holders == null ? 0 : holders.size();
    }

    /** The advertised GPU indices, in ascending order so that ties go to the lowest index. */
    private static SortedSet<Integer> advertisedIndices(Set<ExternalResourceInfo> infos) {
        SortedSet<Integer> indices = new TreeSet<>();
        for (ExternalResourceInfo info : infos) {
            String index =
                    info.getProperty(INDEX_PROPERTY)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "the GPU resource info "
                                                            + info
                                                            + " has no '"
                                                            + INDEX_PROPERTY
                                                            + "' property; use Flink's"
                                                            + " GPUDriverFactory"));
            try {
                indices.add(Integer.parseInt(index.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        "the GPU discovery script reported '"
                                + index
                                + "', which is not a GPU index; it must print indices such as"
                                + " 0,1",
                        e);
            }
        }
        return Collections.unmodifiableSortedSet(indices);
    }

    /** The TaskManager's resource id, as Flink puts it in every metric group's scope. */
    private static String taskManagerId(RuntimeContext context) {
        return context.getMetricGroup().getAllVariables().getOrDefault("<tm_id>", "unknown");
    }
}
