package dev.vidprocme.job.workflow;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.functions.CollectParts;
import dev.vidprocme.functions.RetryOnDisposition;
import dev.vidprocme.functions.TranscodeFunction;
import dev.vidprocme.functions.TranscodeSettings;
import dev.vidprocme.job.config.PipelineConfig;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.TranscodeTask;
import dev.vidprocme.records.WorkResult;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The transcoding branch of {@link VideoPipeline}:
 *
 * <pre>
 * transcode tasks ─┬─ parts → transcode (async) ─┬──────────────────────────────────────┬→ results
 *                  │        └──────────→ collect parts (keyed by rendition) → finals ─┐ │
 *                  └─ thumbnails ───────────────────────────────────→ transcode-final ┴─┘
 * </pre>
 *
 * <p>Parts are rebalanced so one long video's parts spread over every subtask; a rendition's
 * finishing unit (join, package, verify, publish) starts once {@link CollectParts} has seen every
 * part DONE. Both async operators retry like decode, and run in the GPU slot group in GPU mode
 * (they encode on the CPU; the group keeps them beside decode).
 */
final class Transcoding {
    private Transcoding() {}

    /** Wires {@code tasks} through the encoders; returns every unit's result for the tracker. */
    static DataStream<WorkResult> define(
            DataStream<TranscodeTask> tasks, PipelineConfig config, Backends backends) {
        TranscodeSettings settings = config.transcode();
        SingleOutputStreamOperator<TranscodeTask> parts =
                tasks.filter(task -> !task.isFinal())
                        .name("transcode-parts")
                        .uid("transcode-parts");
        SingleOutputStreamOperator<TranscodeTask> thumbnails =
                tasks.filter(TranscodeTask::isFinal)
                        .name("transcode-thumbnails")
                        .uid("transcode-thumbnails");

        SingleOutputStreamOperator<TranscodeResult> encoded =
                SlotGroups.cpuWork(
                        AsyncDataStream.unorderedWaitWithRetry(
                                        parts.rebalance(),
                                        new TranscodeFunction(
                                                config.stageSettings(), settings, backends),
                                        settings.timeout().toMillis(),
                                        TimeUnit.MILLISECONDS,
                                        settings.capacity(),
                                        new RetryOnDisposition<>(config.retry()))
                                .name("transcode")
                                .uid("transcode"),
                        config);

        SingleOutputStreamOperator<TranscodeTask> finals =
                parts.keyBy(CollectParts::key)
                        .connect(encoded.keyBy(CollectParts::key))
                        .process(new CollectParts())
                        .name("collect-parts")
                        .uid("collect-parts");

        SingleOutputStreamOperator<TranscodeResult> finished =
                SlotGroups.cpuWork(
                        AsyncDataStream.unorderedWaitWithRetry(
                                        finals.union(thumbnails).rebalance(),
                                        new TranscodeFunction(
                                                config.stageSettings(), settings, backends),
                                        settings.timeout().toMillis(),
                                        TimeUnit.MILLISECONDS,
                                        settings.capacity(),
                                        new RetryOnDisposition<>(config.retry()))
                                .name("transcode-final")
                                .uid("transcode-final"),
                        config);

        return encoded.union(finished)
                .map(WorkResult::of)
                .name("transcode-results")
                .uid("transcode-results");
    }
}
