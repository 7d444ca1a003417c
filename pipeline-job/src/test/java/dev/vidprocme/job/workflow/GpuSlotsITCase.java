package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.functions.GpuAssignment;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.job.testing.Await;
import dev.vidprocme.job.testing.GpuMiniCluster;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.media.HwAccel;
import dev.vidprocme.media.SegmentDecoder;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.JobSpec;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated GPU cluster: three TaskManagers of one host, each advertising two GPUs through
 * Flink's real GPU driver (flink-external-resource-gpu as a plugin) and a discovery script that
 * reports fake indices with Flink's own coordination mode, and the pipeline in GPU mode with one
 * decode subtask per GPU. Every decode subtask must get a GPU of its own TaskManager, no GPU two
 * subtasks, every segment must record one, and the jobs must still come out right.
 */
class GpuSlotsITCase {
    private static final int TASK_MANAGERS = 3;
    private static final int GPUS_PER_TASK_MANAGER = 2;
    private static final int GPUS = TASK_MANAGERS * GPUS_PER_TASK_MANAGER;
    private static final Set<Integer> HOST_GPUS = Set.of(0, 1, 2, 3, 4, 5);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir static Path temp;
    static GpuMiniCluster cluster;
    static JobClient pipeline;
    static TestJobs jobs;
    static Path clips;

    @BeforeAll
    static void startGpuCluster() throws Exception {
        cluster = GpuMiniCluster.create(gpuCluster(), TASK_MANAGERS, 2, temp.resolve("cluster"));
        cluster.start();

        clips = Files.createDirectories(temp.resolve("clips"));
        TestPipelines.Setup setup =
                TestPipelines.setup(
                        "gpu-jobs",
                        temp,
                        List.of(clips),
                        Map.of("vidproc.segment.target", "1 s", "vidproc.gpu.enabled", "true"));
        pipeline =
                TestPipelines.run(
                        new TestStreamEnvironment(cluster, GPUS),
                        setup,
                        Backends.production(),
                        "vidprocme-gpu-it");
        jobs = setup.jobs();
    }

    /**
     * What a GPU host's config.yaml says (see flink-conf/config.yaml), with the fake discovery
     * script in place of nvidia-gpu-discovery.sh and a coordination file of this test's own.
     */
    private static Configuration gpuCluster() throws Exception {
        Path script = temp.resolve("fake-gpu-discovery.sh");
        try (InputStream in =
                GpuSlotsITCase.class.getResourceAsStream("/gpu/fake-gpu-discovery.sh")) {
            Files.copy(in, script);
        }
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Configuration c = new Configuration();
        c.setString("external-resources", "gpu");
        c.setString("external-resource.gpu.amount", String.valueOf(GPUS_PER_TASK_MANAGER));
        c.setString(
                "external-resource.gpu.driver-factory.class",
                "org.apache.flink.externalresource.gpu.GPUDriverFactory");
        c.setString("external-resource.gpu.param.discovery-script.path", script.toString());
        c.setString(
                "external-resource.gpu.param.discovery-script.args",
                "--enable-coordination-mode --coordination-file "
                        + temp.resolve("gpu-coordination")
                        + " --fake-gpus "
                        + HOST_GPUS.stream()
                                .sorted()
                                .map(String::valueOf)
                                .collect(Collectors.joining(",")));
        return c;
    }

    @AfterAll
    static void stopGpuCluster() throws Exception {
        if (pipeline != null) {
            pipeline.cancel().get();
            Await.until(
                    "the pipeline to stop",
                    TIMEOUT,
                    () -> pipeline.getJobStatus().get().isGloballyTerminalState());
            // Closing decode subtasks give their GPUs back.
            Await.until("every GPU lease to end", TIMEOUT, () -> decodeLeases().isEmpty());
        }
        if (jobs != null) {
            jobs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyDecodeSubtaskLeasesAGpuOfItsOwnTaskManagerAndNoneIsShared() throws Exception {
        List<GpuAssignment.Lease> leases =
                Await.until(
                        "every decode subtask to lease a GPU",
                        TIMEOUT,
                        () -> {
                            List<GpuAssignment.Lease> decode = decodeLeases();
                            return decode.size() == GPUS ? decode : null;
                        });

        assertThat(leases)
                .extracting(GpuAssignment.Lease::subtask)
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(leases)
                .extracting(l -> l.taskManager() + "/" + l.gpu())
                .as("(TaskManager, GPU) pairs")
                .doesNotHaveDuplicates();
        assertThat(leases).extracting(GpuAssignment.Lease::gpu).doesNotHaveDuplicates();
        assertThat(leases).allSatisfy(l -> assertThat(l.advertised()).contains(l.gpu()));
        Map<String, List<GpuAssignment.Lease>> byTaskManager =
                leases.stream().collect(Collectors.groupingBy(GpuAssignment.Lease::taskManager));
        assertThat(byTaskManager).hasSize(TASK_MANAGERS);
        // Coordination mode gave the TaskManagers of this one JVM disjoint GPUs: the premise of
        // leasing per JVM.
        Set<Integer> seen = new HashSet<>();
        for (List<GpuAssignment.Lease> ofOne : byTaskManager.values()) {
            assertThat(ofOne).hasSize(GPUS_PER_TASK_MANAGER);
            Set<Integer> advertised = ofOne.get(0).advertised();
            assertThat(advertised).hasSize(GPUS_PER_TASK_MANAGER);
            assertThat(ofOne).allSatisfy(l -> assertThat(l.advertised()).isEqualTo(advertised));
            assertThat(seen).doesNotContainAnyElementsOf(advertised);
            seen.addAll(advertised);
        }
        assertThat(seen).isEqualTo(HOST_GPUS);
        assertThat(cluster.fatalErrors()).isEmpty();
    }

    @Test
    void jobsCompleteWithEveryFrameAndEachSegmentRecordsTheGpuItRanOn() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path clip =
                    SyntheticClips.testPattern(
                            clips.resolve("clip-" + i + ".mp4"), 4, 30, 320, 180);
            ids.add(jobs.upload(clip, JobSpec.defaults()));
        }

        Set<Integer> gpusUsed = new HashSet<>();
        for (String id : ids) {
            jobs.awaitTerminal(id, TIMEOUT);
            jobs.assertCompletedExactlyOnce(id, 120);
            Map<Integer, TestJobs.UnitRow> units = jobs.units(id, WorkUnits.DECODE);
            assertThat(units).as("job %s decode units", id).hasSize(4);
            units.forEach(
                    (unit, row) -> {
                        assertThat(row.state()).as("unit %d", unit).isEqualTo("done");
                        assertThat(row.gpu()).as("GPU of unit %d", unit).isIn(HOST_GPUS);
                        // What FFmpeg can do with that GPU index in this process: NVDEC where a
                        // CUDA device opens, the CPU (said once in the log) where none does.
                        assertThat(row.decoder())
                                .as("decoder of unit %d", unit)
                                .isEqualTo(decoderFor(row.gpu()));
                        gpusUsed.add(row.gpu());
                    });
        }
        Set<Integer> leased =
                decodeLeases().stream().map(GpuAssignment.Lease::gpu).collect(Collectors.toSet());
        assertThat(leased).containsAll(gpusUsed);
    }

    private static String decoderFor(int gpu) {
        String device = new SegmentDecoder(1, 1, HwAccel.AUTO, gpu).device();
        return device.startsWith("cuda") ? "cuda" : device;
    }

    private static List<GpuAssignment.Lease> decodeLeases() {
        return GpuAssignment.leases().stream().filter(l -> l.task().startsWith("decode")).toList();
    }
}
