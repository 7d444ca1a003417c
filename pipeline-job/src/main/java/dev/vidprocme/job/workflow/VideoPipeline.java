package dev.vidprocme.job.workflow;

import dev.vidprocme.functions.AnalyseFunction;
import dev.vidprocme.functions.Backends;
import dev.vidprocme.functions.CaptionFunction;
import dev.vidprocme.functions.DecodeSegmentFunction;
import dev.vidprocme.functions.JobTracker;
import dev.vidprocme.functions.ParseJobRequest;
import dev.vidprocme.functions.PlanJobFunction;
import dev.vidprocme.functions.RetryOnDisposition;
import dev.vidprocme.functions.SplitPlanOutput;
import dev.vidprocme.io.db.JobUpdateSink;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.job.io.DeadLetterSink;
import dev.vidprocme.job.io.JobEventSink;
import dev.vidprocme.job.io.JobEventsSource;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.PlanOutput;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.records.WorkResult;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job graph, the one seam between wiring and logic: production and tests run this same graph on
 * real Kafka and PostgreSQL; chaos tests swap the {@link Backends} for faulty ones.
 *
 * <pre>
 * jobs topic → parse → plan (async, priority, retry) ─┬─ segments → decode → analyse → caption ────┐
 *                  └─ rejected ───────────────────────┴─ plans ─────────────→ track (keyed by job) ─┤
 *                                                        status sink (PostgreSQL) ←─────────────────┤
 *                                                        vidproc.job-events (Kafka, transactional) ←┤
 *                                                        vidproc.dlq (Kafka, transactional) ←───────┘
 * </pre>
 *
 * <p>Transcoding units (the plan's side output) run through {@link Transcoding} and their results
 * join the segment results into the tracker; with webhooks on, tracked updates also go to {@link
 * Notifications}.
 *
 * <p>Both async operators admit up to their capacity of units into their checkpointed queues, where
 * workers take them highest effective priority first; a unit that fails transiently stays there and
 * is invoked again by Flink's async retry after a jittered backoff.
 */
public final class VideoPipeline {
    private VideoPipeline() {}

    /**
     * Where the graph reads and writes: the jobs topic; the status table, the DLQ topic and the
     * job-events topic.
     */
    public record Io(
            Source<String, ?, ?> requests,
            Sink<JobUpdate> statuses,
            Sink<DeadLetter> deadLetters,
            Sink<JobUpdate> events) {

        /** The production endpoints for {@code config}. */
        public static Io of(PipelineConfig config) {
            return of(config, new JobUpdateSink(config.db()));
        }

        /** The production endpoints, with another status sink. */
        public static Io of(PipelineConfig config, Sink<JobUpdate> statuses) {
            return new Io(
                    JobEventsSource.of(config),
                    statuses,
                    DeadLetterSink.of(config),
                    JobEventSink.of(config));
        }
    }

    public static void defineWorkflow(
            StreamExecutionEnvironment env, Io io, PipelineConfig config, Backends backends) {
        DataStream<String> events =
                env.fromSource(io.requests(), WatermarkStrategy.noWatermarks(), "job-events")
                        .uid("job-events")
                        .setParallelism(1);

        SingleOutputStreamOperator<JobRequest> requests =
                events.process(new ParseJobRequest()).name("parse").uid("parse");

        SingleOutputStreamOperator<PlanOutput> planned =
                AsyncDataStream.unorderedWaitWithRetry(
                                requests,
                                new PlanJobFunction(
                                        config.stageSettings(), backends, config.transcode()),
                                config.planTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                config.planCapacity(),
                                new RetryOnDisposition<>(config.retry()))
                        .name("plan")
                        .uid("plan");

        SingleOutputStreamOperator<SegmentTask> segments =
                planned.process(new SplitPlanOutput()).name("split").uid("split");
        DataStream<JobPlan> plans =
                segments.getSideOutput(SplitPlanOutput.PLANS)
                        .union(requests.getSideOutput(ParseJobRequest.REJECTED));

        // Rebalance so the segments of one long video spread over every decode subtask.
        SingleOutputStreamOperator<SegmentResult> decoded =
                AsyncDataStream.unorderedWaitWithRetry(
                                segments.rebalance(),
                                new DecodeSegmentFunction(config.stageSettings(), backends),
                                config.decodeTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                config.decodeCapacity(),
                                new RetryOnDisposition<>(config.retry()))
                        .name("decode")
                        .uid("decode");
        SlotGroups.gpuWork(decoded, config);

        // Offline analysers (text, statistics) on each segment's analysis frames, then vision-LLM
        // captions for the jobs that ask for them; both pass every other result through.
        SingleOutputStreamOperator<SegmentResult> analysed =
                SlotGroups.cpuWork(
                        AsyncDataStream.unorderedWaitWithRetry(
                                        decoded,
                                        new AnalyseFunction(
                                                config.stageSettings(),
                                                config.analysis(),
                                                backends),
                                        config.analysisTimeout().toMillis(),
                                        TimeUnit.MILLISECONDS,
                                        config.analysisCapacity(),
                                        new RetryOnDisposition<>(config.retry()))
                                .name("analyse")
                                .uid("analyse"),
                        config);
        SingleOutputStreamOperator<SegmentResult> captioned =
                AsyncDataStream.unorderedWaitWithRetry(
                                analysed,
                                new CaptionFunction(
                                        config.stageSettings(), config.analysis(), backends),
                                config.analysisTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                config.analysisCapacity(),
                                new RetryOnDisposition<>(config.retry()))
                        .name("caption")
                        .uid("caption");
        DataStream<WorkResult> transcoded =
                Transcoding.define(
                        segments.getSideOutput(SplitPlanOutput.TRANSCODES), config, backends);

        SingleOutputStreamOperator<JobUpdate> tracked =
                plans.keyBy(JobPlan::jobId)
                        .connect(
                                captioned
                                        .map(WorkResult::of)
                                        .name("segment-results")
                                        .uid("segment-results")
                                        .union(transcoded)
                                        .keyBy(WorkResult::jobId))
                        .process(new JobTracker())
                        .name("track")
                        .uid("track");
        tracked.sinkTo(io.statuses()).name("job-status").uid("job-status");
        tracked.sinkTo(io.events()).name("job-events-out").uid("job-events-out");
        tracked.getSideOutput(JobTracker.DEAD_LETTERS)
                .sinkTo(io.deadLetters())
                .name("dead-letters")
                .uid("dead-letters");
        Notifications.define(tracked, config, backends);
    }
}
