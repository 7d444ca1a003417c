package dev.vidprocme.functions;

import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.TranscodeTask;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by rendition ({@link #key}): learns each rendition's parts from the planner and counts the
 * parts encoded; when the last one is in, emits the rendition's finishing unit (join, package,
 * verify) exactly once. A part that is given up never completes the count: the tracker fails the
 * job, or drops that rendition when partial results are allowed.
 */
public final class CollectParts
        extends KeyedCoProcessFunction<String, TranscodeTask, TranscodeResult, TranscodeTask> {
    private static final Duration FINISHED_MARKER_TTL = Duration.ofDays(1);

    private transient ValueState<TranscodeTask> template;
    private transient MapState<Integer, Boolean> encoded;
    private transient ValueState<Boolean> finished;

    /** The key of a rendition within the whole stream of jobs. */
    public static String key(String jobId, int outputIndex) {
        return jobId + "/" + outputIndex;
    }

    public static String key(TranscodeTask task) {
        return key(task.jobId(), task.outputIndex());
    }

    public static String key(TranscodeResult result) {
        return key(result.jobId(), result.outputIndex());
    }

    @Override
    public void open(OpenContext context) {
        template =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("template", TranscodeTask.class));
        encoded =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("encoded", Types.INT, Types.BOOLEAN));
        ValueStateDescriptor<Boolean> marker =
                new ValueStateDescriptor<>("finished", Types.BOOLEAN);
        marker.enableTimeToLive(StateTtlConfig.newBuilder(FINISHED_MARKER_TTL).build());
        finished = getRuntimeContext().getState(marker);
    }

    @Override
    public void processElement1(TranscodeTask part, Context ctx, Collector<TranscodeTask> out)
            throws Exception {
        if (Boolean.TRUE.equals(finished.value()) || template.value() != null) {
            return;
        }
        template.update(part);
        emitIfComplete(out);
    }

    @Override
    public void processElement2(TranscodeResult part, Context ctx, Collector<TranscodeTask> out)
            throws Exception {
        if (Boolean.TRUE.equals(finished.value())
                || part.isFinal()
                || part.disposition() != Disposition.DONE) {
            return;
        }
        encoded.put(part.part(), Boolean.TRUE);
        emitIfComplete(out);
    }

    private void emitIfComplete(Collector<TranscodeTask> out) throws Exception {
        TranscodeTask task = template.value();
        if (task == null) {
            return;
        }
        int count = 0;
        for (Integer ignored : encoded.keys()) {
            count++;
        }
        if (count < task.parts()) {
            return;
        }
        out.collect(task.finalUnit());
        template.clear();
        encoded.clear();
        finished.update(Boolean.TRUE);
    }
}
