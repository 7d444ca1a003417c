package dev.vidprocme.job;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.job.config.ConfigSources;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.workflow.VideoPipeline;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the pipeline job on a Flink cluster; the local launcher calls {@link #build} too.
 */
public final class PipelineJob {
    public static final String JOB_NAME = "vidprocme";

    /**
     * How long a partly filled network buffer may wait before it is sent downstream: not at all.
     */
    static final long BUFFER_TIMEOUT_MS = 0;

    private PipelineJob() {}

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration merged =
                ConfigSources.merge(ConfigSources.flinkConfig(), System.getenv(), args);
        PipelineConfig config = PipelineConfig.from(merged);
        Database.migrate(config.db());
        build(env, config);
        env.execute(JOB_NAME);
    }

    /** Configures checkpointing and restarts and defines the production graph on {@code env}. */
    public static void build(StreamExecutionEnvironment env, PipelineConfig config) {
        configure(env, config);
        VideoPipeline.defineWorkflow(
                env, VideoPipeline.Io.of(config), config, Backends.production());
    }

    /** Settings every run of the graph shares, production and tests alike. */
    public static void configure(StreamExecutionEnvironment env, PipelineConfig config) {
        env.enableCheckpointing(
                config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        Configuration c = new Configuration();
        // Our records are serialised by Flink's own serialisers; a Kryo fallback is a bug, not a
        // default.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        env.configure(c);
        // Records here are a few hundred bytes and a handful per job (frames never travel through
        // Flink): waiting up to Flink's default 100 ms to fill a network buffer added that much
        // latency at every hop of a job's path, and a 5 ms timeout cost 2.6 % of the CPU in
        // output-flusher threads. Sending each record at once costs neither.
        env.setBufferTimeout(BUFFER_TIMEOUT_MS);
    }
}
