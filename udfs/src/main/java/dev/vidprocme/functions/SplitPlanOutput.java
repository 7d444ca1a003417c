package dev.vidprocme.functions;

import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.PlanOutput;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.records.TranscodeTask;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes planning output: segments go on to decoding, plans to the tracker (side output {@link
 * #PLANS}), transcoding units to the encoders (side output {@link #TRANSCODES}).
 */
public final class SplitPlanOutput extends ProcessFunction<PlanOutput, SegmentTask> {
    public static final OutputTag<JobPlan> PLANS = new OutputTag<>("plans") {};
    public static final OutputTag<TranscodeTask> TRANSCODES = new OutputTag<>("transcodes") {};

    @Override
    public void processElement(PlanOutput value, Context ctx, Collector<SegmentTask> out) {
        if (value.plan() != null) {
            ctx.output(PLANS, value.plan());
        } else if (value.transcode() != null) {
            ctx.output(TRANSCODES, value.transcode());
        } else {
            out.collect(value.segment());
        }
    }
}
