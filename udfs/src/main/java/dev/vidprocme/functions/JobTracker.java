package dev.vidprocme.functions;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.TrackerState;
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
 * Follows each job (keyed by job id) from its plan to its last segment: emits RUNNING with the
 * probed video, progress as segments finish, and exactly one terminal status. Plans and segment
 * results travel different paths and may arrive in any order; duplicates of a segment are ignored.
 * After the terminal status only a marker stays (with a TTL) so nothing can reopen the job.
 */
public final class JobTracker
        extends KeyedCoProcessFunction<String, JobPlan, SegmentResult, JobUpdate> {
    private static final Duration TERMINAL_MARKER_TTL = Duration.ofDays(1);

    private transient ValueState<JobPlan> plan;
    private transient ValueState<TrackerState> tally;
    private transient MapState<Integer, Boolean> segmentsSeen;
    private transient ValueState<Boolean> terminal;

    @Override
    public void open(OpenContext context) {
        plan = getRuntimeContext().getState(new ValueStateDescriptor<>("plan", JobPlan.class));
        tally =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("tally", TrackerState.class));
        segmentsSeen =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "segments-seen", Types.INT, Types.BOOLEAN));
        ValueStateDescriptor<Boolean> terminalDescriptor =
                new ValueStateDescriptor<>("terminal", Types.BOOLEAN);
        terminalDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(TERMINAL_MARKER_TTL).build());
        terminal = getRuntimeContext().getState(terminalDescriptor);
    }

    @Override
    public void processElement1(JobPlan jobPlan, Context ctx, Collector<JobUpdate> out)
            throws Exception {
        if (Boolean.TRUE.equals(terminal.value()) || plan.value() != null) {
            return;
        }
        TrackerState state = current();
        if (jobPlan.failed()) {
            finish(
                    jobPlan.jobId(),
                    state,
                    JobStatus.FAILED,
                    jobPlan.failureCode(),
                    jobPlan.failureMessage(),
                    null,
                    out);
            return;
        }
        plan.update(jobPlan);
        state = state.nextSeq();
        tally.update(state);
        out.collect(
                update(
                        jobPlan.jobId(),
                        state,
                        JobStatus.RUNNING,
                        progress(state, jobPlan),
                        jobPlan,
                        null,
                        null));
        completeIfDone(state, jobPlan, out);
    }

    @Override
    public void processElement2(SegmentResult result, Context ctx, Collector<JobUpdate> out)
            throws Exception {
        if (Boolean.TRUE.equals(terminal.value()) || segmentsSeen.contains(result.segmentIndex())) {
            return;
        }
        segmentsSeen.put(result.segmentIndex(), Boolean.TRUE);
        TrackerState state = current().with(result);
        JobPlan jobPlan = plan.value();
        if (jobPlan == null) {
            tally.update(state);
            return;
        }
        if (state.segmentsDone() < jobPlan.segmentCount()) {
            state = state.nextSeq();
            out.collect(
                    update(
                            result.jobId(),
                            state,
                            JobStatus.RUNNING,
                            progress(state, jobPlan),
                            null,
                            null,
                            null));
        }
        tally.update(state);
        completeIfDone(state, jobPlan, out);
    }

    private void completeIfDone(TrackerState state, JobPlan jobPlan, Collector<JobUpdate> out)
            throws Exception {
        if (state.segmentsDone() < jobPlan.segmentCount()) {
            return;
        }
        if (state.failureCode() != null) {
            finish(
                    jobPlan.jobId(),
                    state,
                    JobStatus.FAILED,
                    state.failureCode(),
                    state.failureMessage(),
                    jobPlan,
                    out);
        } else if (state.frames() == 0) {
            finish(
                    jobPlan.jobId(),
                    state,
                    JobStatus.FAILED,
                    FailureCode.DECODE_FAILED,
                    "no frame could be extracted",
                    jobPlan,
                    out);
        } else {
            finish(jobPlan.jobId(), state, JobStatus.COMPLETED, null, null, jobPlan, out);
        }
    }

    private void finish(
            String jobId,
            TrackerState state,
            JobStatus status,
            FailureCode code,
            String message,
            JobPlan jobPlan,
            Collector<JobUpdate> out)
            throws Exception {
        TrackerState last = state.nextSeq();
        out.collect(
                update(
                        jobId,
                        last,
                        status,
                        status == JobStatus.COMPLETED ? 1.0 : progress(last, jobPlan),
                        null,
                        code,
                        message));
        plan.clear();
        tally.clear();
        segmentsSeen.clear();
        terminal.update(Boolean.TRUE);
    }

    private TrackerState current() throws Exception {
        TrackerState state = tally.value();
        return state == null ? TrackerState.initial() : state;
    }

    private static double progress(TrackerState state, JobPlan jobPlan) {
        if (jobPlan == null || jobPlan.segmentCount() == 0) {
            return 0;
        }
        return Math.min(1.0, (double) state.segmentsDone() / jobPlan.segmentCount());
    }

    private static JobUpdate update(
            String jobId,
            TrackerState state,
            JobStatus status,
            double progress,
            JobPlan withVideo,
            FailureCode code,
            String message) {
        return new JobUpdate(
                jobId,
                state.seq(),
                status,
                progress,
                withVideo == null ? null : withVideo.video(),
                state.frames(),
                code,
                message,
                state.damage(),
                System.currentTimeMillis());
    }
}
