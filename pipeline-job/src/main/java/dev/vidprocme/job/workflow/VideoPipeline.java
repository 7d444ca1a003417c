package dev.vidprocme.job.workflow;

import dev.vidprocme.functions.DecodeSegmentFunction;
import dev.vidprocme.functions.JobTracker;
import dev.vidprocme.functions.ParseJobRequest;
import dev.vidprocme.functions.PlanJobFunction;
import dev.vidprocme.functions.SplitPlanOutput;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.PlanOutput;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.SegmentTask;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job graph, the one seam between wiring and logic: production passes the Kafka source and the
 * PostgreSQL sink, tests pass what they need, and both run this same graph.
 *
 * <pre>
 * jobs topic → parse → plan (async probe + segment) ─┬─ segments → decode (async) ─┐
 *                  └─ rejected ──────────────────────┴─ plans ──────────→ track (keyed by job) → status sink
 * </pre>
 */
public final class VideoPipeline {
    /**
     * How long the async decode operator waits before giving up on a unit it admitted (a backstop).
     */
    private static final long DECODE_BACKSTOP_MINUTES = 60;

    private VideoPipeline() {}

    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            Source<String, ?, ?> jobEvents,
            Sink<JobUpdate> statusSink,
            PipelineConfig config) {
        DataStream<String> events =
                env.fromSource(jobEvents, WatermarkStrategy.noWatermarks(), "job-events")
                        .uid("job-events")
                        .setParallelism(1);

        SingleOutputStreamOperator<JobRequest> requests =
                events.process(new ParseJobRequest()).name("parse").uid("parse");

        SingleOutputStreamOperator<PlanOutput> planned =
                AsyncDataStream.unorderedWait(
                                requests,
                                new PlanJobFunction(config.stageSettings()),
                                config.planTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                Math.max(4, config.planWorkers() * 4))
                        .name("plan")
                        .uid("plan");

        SingleOutputStreamOperator<SegmentTask> segments =
                planned.process(new SplitPlanOutput()).name("split").uid("split");
        DataStream<JobPlan> plans =
                segments.getSideOutput(SplitPlanOutput.PLANS)
                        .union(requests.getSideOutput(ParseJobRequest.REJECTED));

        // Rebalance so the segments of one long video spread over every decode subtask.
        DataStream<SegmentResult> results =
                AsyncDataStream.unorderedWait(
                                segments.rebalance(),
                                new DecodeSegmentFunction(config.stageSettings()),
                                TimeUnit.MINUTES.toMillis(DECODE_BACKSTOP_MINUTES),
                                TimeUnit.MILLISECONDS,
                                config.decodeCapacity())
                        .name("decode")
                        .uid("decode");

        plans.keyBy(JobPlan::jobId)
                .connect(results.keyBy(SegmentResult::jobId))
                .process(new JobTracker())
                .name("track")
                .uid("track")
                .sinkTo(statusSink)
                .name("job-status")
                .uid("job-status");
    }
}
