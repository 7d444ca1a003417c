package dev.vidprocme.job.testing;

import dev.vidprocme.job.PipelineJob;
import dev.vidprocme.job.config.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;
import org.apache.flink.runtime.scheduler.exceptionhistory.RootExceptionHistoryEntry;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A MiniCluster of a test's own running the production graph, for tests that break things while it
 * runs. Each TaskManager has one slot, so killing one takes part of the pipeline with it; the
 * restart strategy is production's (exponential delay) with short backoffs and more attempts than
 * any outage in a test uses, so Flink keeps recovering for as long as the outage lasts and the
 * test's own deadline decides when to give up.
 */
public final class PipelineCluster implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final MiniCluster cluster;
    private final Configuration jobConfig;
    private final int parallelism;
    private JobID job;

    private PipelineCluster(MiniCluster cluster, Configuration jobConfig, int parallelism) {
        this.cluster = cluster;
        this.jobConfig = jobConfig;
        this.parallelism = parallelism;
    }

    /** Starts {@code taskManagers} TaskManagers of one slot each; the pipeline uses them all. */
    public static PipelineCluster start(int taskManagers) throws Exception {
        Configuration config = new Configuration();
        // Any free port for the REST endpoint: 8081 may belong to a running ./vidproc local.
        config.set(RestOptions.BIND_PORT, "0");
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofMillis(100));
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofSeconds(2));
        config.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, 10_000);
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(taskManagers)
                                .setNumSlotsPerTaskManager(1)
                                .build());
        try {
            cluster.start();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new PipelineCluster(cluster, config, taskManagers);
    }

    /**
     * Submits the production graph for {@code config}, built by {@link PipelineJob#build} exactly
     * as a deployment builds it, and returns once the cluster accepted it.
     */
    public JobID submit(PipelineConfig config) throws Exception {
        if (job != null) {
            throw new IllegalStateException("This cluster already runs pipeline " + job);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        PipelineJob.build(env, config);
        // After build(): these backoffs refine the restart strategy production configures.
        env.configure(jobConfig);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobId(new JobID());
        job = get(cluster.submitJob(graph)).getJobID();
        return job;
    }

    /** Kills TaskManager {@code index} with whatever it runs, then starts a replacement. */
    public void killTaskManager(int index) throws Exception {
        get(cluster.terminateTaskManager(index));
        cluster.startTaskManager();
    }

    /** How often the pipeline has failed over so far (Flink keeps the latest 16 failures). */
    public int failovers() throws Exception {
        return history().size();
    }

    /** The pipeline's state and its failures, latest first, for a failing test's message. */
    public String describe() {
        try {
            StringBuilder out =
                    new StringBuilder("Flink job ")
                            .append(job)
                            .append(" is ")
                            .append(get(cluster.getJobStatus(job)));
            List<RootExceptionHistoryEntry> failures = history();
            out.append(" after ").append(failures.size()).append(" failover(s)");
            for (RootExceptionHistoryEntry failure : failures) {
                out.append("\n  - ").append(firstLine(failure.getExceptionAsString()));
            }
            return out.toString();
        } catch (Exception e) {
            return "Flink job " + job + " could not be described: " + e;
        }
    }

    /** Cancels the pipeline and shuts the cluster down. */
    @Override
    public void close() throws Exception {
        try {
            if (job != null && !get(cluster.getJobStatus(job)).isGloballyTerminalState()) {
                get(cluster.cancelJob(job));
            }
        } finally {
            cluster.close();
        }
    }

    private List<RootExceptionHistoryEntry> history() throws Exception {
        ExecutionGraphInfo info = get(cluster.getExecutionGraphInfo(job));
        List<RootExceptionHistoryEntry> entries = new ArrayList<>();
        info.getExceptionHistory().forEach(entries::add);
        return entries;
    }

    private static String firstLine(String stackTrace) {
        int end = stackTrace.indexOf('\n');
        return end < 0 ? stackTrace : stackTrace.substring(0, end);
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
