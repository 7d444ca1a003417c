package dev.vidprocme.functions;

import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.media.scene.SceneAssembler;
import dev.vidprocme.records.DeadLetter;
import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.JobPlan;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.JobUpdate;
import dev.vidprocme.records.OutputProgress;
import dev.vidprocme.records.Scene;
import dev.vidprocme.records.SceneSignals;
import dev.vidprocme.records.SegmentResult;
import dev.vidprocme.records.TrackerState;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.WorkResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Follows each job (keyed by job id) from its plan to its last segment: emits RUNNING with the
 * probed video, progress as segments finish, and exactly one terminal status. Plans and segment
 * results travel different paths and may arrive in any order; duplicates of a segment are ignored.
 * After the terminal status only a marker stays (with a TTL) so nothing can reopen the job.
 *
 * <p>A unit given up after every attempt becomes a {@link DeadLetter}: it goes to the {@link
 * #DEAD_LETTERS} side output (the Kafka topic) and rides on the job update that reports it (the
 * database, in the same transaction). The job then fails at once, or, when its spec allows partial
 * results, finishes its other segments and ends PARTIAL. Segments dropped because the job was
 * cancelled end it CANCELLED.
 */
public final class JobTracker
        extends KeyedCoProcessFunction<String, JobPlan, WorkResult, JobUpdate> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    private static final Duration TERMINAL_MARKER_TTL = Duration.ofDays(1);

    private transient ValueState<JobPlan> plan;
    private transient ValueState<TrackerState> tally;
    private transient MapState<Integer, Boolean> segmentsSeen;
    private transient MapState<Integer, SegmentResult> lostBeforePlan;
    private transient ValueState<Boolean> terminal;
    private transient MapState<Integer, Boolean> transcodeSeen;
    private transient MapState<Integer, TranscodeResult> transcodeBeforePlan;
    // Input time encoded so far per output index.
    private transient MapState<Integer, Long> encodedUs;
    private transient MapState<Integer, SceneSignals> sceneSignals;
    // Outputs given up (a part lost) under allowPartial, by output index.
    private transient MapState<Integer, Boolean> lostOutputs;

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
        lostBeforePlan =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "lost-before-plan",
                                        Types.INT,
                                        TypeInformation.of(SegmentResult.class)));
        ValueStateDescriptor<Boolean> terminalDescriptor =
                new ValueStateDescriptor<>("terminal", Types.BOOLEAN);
        terminalDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(TERMINAL_MARKER_TTL).build());
        terminal = getRuntimeContext().getState(terminalDescriptor);
        transcodeSeen =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "transcode-seen", Types.INT, Types.BOOLEAN));
        transcodeBeforePlan =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "transcode-before-plan",
                                        Types.INT,
                                        TypeInformation.of(TranscodeResult.class)));
        encodedUs =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("encoded-us", Types.INT, Types.LONG));
        lostOutputs =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("lost-outputs", Types.INT, Types.BOOLEAN));
        sceneSignals =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "scene-signals",
                                        Types.INT,
                                        TypeInformation.of(SceneSignals.class)));
    }

    @Override
    public void processElement1(JobPlan jobPlan, Context ctx, Collector<JobUpdate> out)
            throws Exception {
        if (Boolean.TRUE.equals(terminal.value()) || plan.value() != null) {
            return;
        }
        TrackerState state = current();
        switch (jobPlan.disposition()) {
            case DONE -> {}
            case DROPPED -> {
                finish(jobPlan.jobId(), state, JobStatus.CANCELLED, null, null, null, null, out);
                return;
            }
            case REJECTED -> {
                finish(
                        jobPlan.jobId(),
                        state,
                        JobStatus.FAILED,
                        jobPlan.failureCode(),
                        jobPlan.failureMessage(),
                        null,
                        null,
                        out);
                return;
            }
            case RETRY, DEAD_LETTER -> {
                DeadLetter letter =
                        deadLetter(
                                jobPlan.jobId(),
                                WorkUnits.PLAN,
                                0,
                                jobPlan.attempts(),
                                jobPlan.errorClass(),
                                jobPlan.failureMessage(),
                                jobPlan.request(),
                                ctx);
                finish(
                        jobPlan.jobId(),
                        state,
                        JobStatus.FAILED,
                        jobPlan.failureCode(),
                        gaveUp("planning", jobPlan.attempts(), jobPlan.failureMessage()),
                        null,
                        letter,
                        out);
                return;
            }
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
                        null,
                        null));
        for (SegmentResult lost : lostBeforePlan.values()) {
            if (reportLost(lost, jobPlan, ctx, out)) {
                return;
            }
        }
        lostBeforePlan.clear();
        List<TranscodeResult> early = new ArrayList<>();
        transcodeBeforePlan.values().forEach(early::add);
        transcodeBeforePlan.clear();
        for (TranscodeResult result : early) {
            if (onTranscode(result, jobPlan, ctx, out)) {
                return;
            }
        }
        completeIfDone(current(), jobPlan, out);
    }

    @Override
    public void processElement2(WorkResult work, Context ctx, Collector<JobUpdate> out)
            throws Exception {
        if (work.segment() != null) {
            onSegment(work.segment(), ctx, out);
            return;
        }
        TranscodeResult result = work.transcode();
        if (Boolean.TRUE.equals(terminal.value()) || transcodeSeen.contains(result.unitNumber())) {
            return;
        }
        transcodeSeen.put(result.unitNumber(), Boolean.TRUE);
        JobPlan jobPlan = plan.value();
        if (jobPlan == null) {
            transcodeBeforePlan.put(result.unitNumber(), result);
            return;
        }
        if (!onTranscode(result, jobPlan, ctx, out)) {
            completeIfDone(current(), jobPlan, out);
        }
    }

    /**
     * Counts a transcoding unit: a part moves its output's progress, a final finishes the output; a
     * unit given up fails the job, or loses just that output when partial results are allowed.
     *
     * @return whether the job ended
     */
    private boolean onTranscode(
            TranscodeResult result, JobPlan jobPlan, Context ctx, Collector<JobUpdate> out)
            throws Exception {
        TrackerState state = current();
        switch (result.disposition()) {
            case DONE -> {
                long before = Optional.ofNullable(encodedUs.get(result.outputIndex())).orElse(0L);
                encodedUs.put(
                        result.outputIndex(),
                        result.isFinal()
                                ? result.totalUs()
                                // Just short of done until the final unit has joined and verified.
                                : Math.min(result.totalUs() - 1, before + result.encodedUs()));
                if (result.isFinal()) {
                    state = state.withOutputDone(result);
                    tally.update(state);
                }
                reportProgress(state, jobPlan, null, out);
                return false;
            }
            case DROPPED -> {
                finish(jobPlan.jobId(), state, JobStatus.CANCELLED, null, null, jobPlan, null, out);
                return true;
            }
            case REJECTED -> {
                finish(
                        jobPlan.jobId(),
                        state,
                        JobStatus.FAILED,
                        result.failureCode(),
                        result.message(),
                        jobPlan,
                        null,
                        out);
                return true;
            }
            default -> {
                DeadLetter letter =
                        deadLetter(
                                result.jobId(),
                                WorkUnits.TRANSCODE,
                                result.unitNumber(),
                                result.attempts(),
                                result.errorClass(),
                                result.message(),
                                jobPlan.request(),
                                ctx);
                String what =
                        result.isFinal()
                                ? "output " + result.output()
                                : "output " + result.output() + " part " + result.part();
                String reason = gaveUp(what, result.attempts(), result.message());
                if (!allowsPartial(jobPlan)) {
                    finish(
                            result.jobId(),
                            state,
                            JobStatus.FAILED,
                            result.failureCode(),
                            reason,
                            jobPlan,
                            letter,
                            out);
                    return true;
                }
                if (result.isFinal() || !outputLost(result)) {
                    state = state.withOutputDone(result);
                    tally.update(state);
                }
                reportProgress(state, jobPlan, letter, out);
                return false;
            }
        }
    }

    /**
     * A lost part means its output can never be joined: the output counts as given up once, on the
     * first lost part (later parts and the final of that output are not expected any more).
     */
    private boolean outputLost(TranscodeResult part) throws Exception {
        if (lostOutputs.contains(part.outputIndex())) {
            return true;
        }
        lostOutputs.put(part.outputIndex(), Boolean.TRUE);
        return false;
    }

    private void onSegment(SegmentResult result, Context ctx, Collector<JobUpdate> out)
            throws Exception {
        if (Boolean.TRUE.equals(terminal.value()) || segmentsSeen.contains(result.segmentIndex())) {
            return;
        }
        segmentsSeen.put(result.segmentIndex(), Boolean.TRUE);
        if (result.scenes() != null && result.disposition() == Disposition.DONE) {
            sceneSignals.put(result.segmentIndex(), result.scenes());
        }
        TrackerState state = current().with(result);
        tally.update(state);
        JobPlan jobPlan = plan.value();
        if (jobPlan == null) {
            if (result.disposition().lost()) {
                lostBeforePlan.put(result.segmentIndex(), result);
            }
            return;
        }
        if (result.disposition().lost()) {
            if (reportLost(result, jobPlan, ctx, out)) {
                return;
            }
        } else if (state.segmentsDone() < jobPlan.segmentCount()) {
            reportProgress(state, jobPlan, null, out);
        }
        completeIfDone(current(), jobPlan, out);
    }

    /**
     * Dead-letters a lost segment: the job fails now, or carries on when partial results are
     * allowed.
     *
     * @return whether the job ended
     */
    private boolean reportLost(
            SegmentResult lost, JobPlan jobPlan, Context ctx, Collector<JobUpdate> out)
            throws Exception {
        DeadLetter letter =
                deadLetter(
                        lost.jobId(),
                        // Analysers mark the results they give up on; anything else is decoding.
                        lost.analysis() == null ? WorkUnits.DECODE : WorkUnits.ANALYSE,
                        lost.segmentIndex(),
                        lost.attempts(),
                        lost.errorClass(),
                        lost.damage(),
                        jobPlan.request(),
                        ctx);
        TrackerState state = current();
        String reason = gaveUp("segment " + lost.segmentIndex(), lost.attempts(), lost.damage());
        if (!allowsPartial(jobPlan)) {
            finish(
                    lost.jobId(),
                    state,
                    JobStatus.FAILED,
                    lost.failureCode(),
                    reason,
                    jobPlan,
                    letter,
                    out);
            return true;
        }
        reportProgress(state, jobPlan, letter, out);
        return false;
    }

    /** Emits RUNNING with the progress so far, carrying {@code letter} when there is one. */
    private void reportProgress(
            TrackerState state, JobPlan jobPlan, DeadLetter letter, Collector<JobUpdate> out)
            throws Exception {
        TrackerState next = state.nextSeq();
        tally.update(next);
        out.collect(
                update(
                        jobPlan.jobId(),
                        next,
                        JobStatus.RUNNING,
                        progress(next, jobPlan),
                        null,
                        null,
                        null,
                        letter));
    }

    private void completeIfDone(TrackerState state, JobPlan jobPlan, Collector<JobUpdate> out)
            throws Exception {
        if (state.segmentsDone() < jobPlan.segmentCount()
                || state.outputsDone() < outputUnits(jobPlan)) {
            return;
        }
        String jobId = jobPlan.jobId();
        if (state.dropped() > 0) {
            finish(jobId, state, JobStatus.CANCELLED, null, null, jobPlan, null, out);
        } else if (state.deadLetters() > 0) {
            String reason =
                    state.deadLetters()
                            + " of "
                            + jobPlan.segmentCount()
                            + " segment(s) dead-lettered; first: "
                            + state.failureMessage();
            JobStatus status = state.frames() > 0 ? JobStatus.PARTIAL : JobStatus.FAILED;
            finish(jobId, state, status, state.failureCode(), reason, jobPlan, null, out);
        } else if (state.failureCode() != null) {
            finish(
                    jobId,
                    state,
                    JobStatus.FAILED,
                    state.failureCode(),
                    state.failureMessage(),
                    jobPlan,
                    null,
                    out);
        } else if (state.frames() == 0 && jobPlan.segmentCount() > 0) {
            finish(
                    jobId,
                    state,
                    JobStatus.FAILED,
                    FailureCode.DECODE_FAILED,
                    "no frame could be extracted",
                    jobPlan,
                    null,
                    out);
        } else {
            finish(jobId, state, JobStatus.COMPLETED, null, null, jobPlan, null, out);
        }
    }

    private void finish(
            String jobId,
            TrackerState state,
            JobStatus status,
            FailureCode code,
            String message,
            JobPlan jobPlan,
            DeadLetter letter,
            Collector<JobUpdate> out)
            throws Exception {
        TrackerState last = state.nextSeq();
        JobUpdate terminalUpdate =
                update(
                        jobId,
                        last,
                        status,
                        status == JobStatus.COMPLETED ? 1.0 : progress(last, jobPlan),
                        null,
                        code,
                        message,
                        letter);
        if ((status == JobStatus.COMPLETED || status == JobStatus.PARTIAL) && jobPlan != null) {
            terminalUpdate = terminalUpdate.withScenes(scenes(jobPlan));
        }
        out.collect(terminalUpdate);
        plan.clear();
        tally.clear();
        segmentsSeen.clear();
        lostBeforePlan.clear();
        transcodeSeen.clear();
        transcodeBeforePlan.clear();
        encodedUs.clear();
        sceneSignals.clear();
        lostOutputs.clear();
        terminal.update(Boolean.TRUE);
    }

    private static DeadLetter deadLetter(
            String jobId,
            String stage,
            int unit,
            int attempts,
            String errorClass,
            String message,
            JobRequest request,
            Context ctx) {
        DeadLetter letter =
                new DeadLetter(
                        DeadLetter.idFor(jobId, stage, unit),
                        jobId,
                        stage,
                        unit,
                        attempts,
                        errorClass == null ? "unknown" : errorClass,
                        message == null ? "no reason recorded" : message,
                        System.currentTimeMillis(),
                        request);
        ctx.output(DEAD_LETTERS, letter);
        return letter;
    }

    private static String gaveUp(String what, int attempts, String message) {
        return what + " failed after " + attempts + " attempt(s): " + message;
    }

    private static boolean allowsPartial(JobPlan jobPlan) {
        return jobPlan.request() != null && jobPlan.request().spec().allowPartial();
    }

    private TrackerState current() throws Exception {
        TrackerState state = tally.value();
        return state == null ? TrackerState.initial() : state;
    }

    /**
     * The job's scenes from every segment's signals, in segment order; a segment that produced none
     * leaves a gap in which no cut is decided.
     */
    private List<Scene> scenes(JobPlan jobPlan) throws Exception {
        List<SceneSignals> ordered = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < jobPlan.segmentCount(); i++) {
            SceneSignals signals = sceneSignals.get(i);
            any |= signals != null;
            ordered.add(signals);
        }
        if (!any || jobPlan.video() == null) {
            return List.of();
        }
        return SceneAssembler.assemble(ordered, jobPlan.video().durationMs());
    }

    private static int outputUnits(JobPlan jobPlan) {
        return jobPlan.request() == null ? 0 : jobPlan.request().spec().outputUnits();
    }

    /**
     * Decoding and each output weigh the same: a job with two renditions is a third done when its
     * frames are out and neither rendition has started.
     */
    private double progress(TrackerState state, JobPlan jobPlan) throws Exception {
        if (jobPlan == null || (jobPlan.segmentCount() == 0 && outputUnits(jobPlan) == 0)) {
            return 0;
        }
        List<OutputProgress> outputs = outputs(jobPlan);
        double sum = 0;
        for (OutputProgress output : outputs) {
            sum += output.progress();
        }
        if (jobPlan.segmentCount() == 0) {
            // Nothing to decode (frames.mode none): the outputs are all the work.
            return sum / outputs.size();
        }
        sum += Math.min(1.0, (double) state.segmentsDone() / jobPlan.segmentCount());
        return sum / (1 + outputs.size());
    }

    /** Each output's progress, in spec order, thumbnails last. */
    private List<OutputProgress> outputs(JobPlan jobPlan) throws Exception {
        if (jobPlan == null || outputUnits(jobPlan) == 0) {
            return List.of();
        }
        JobSpec spec = jobPlan.request().spec();
        long total = jobPlan.video() == null ? 0 : jobPlan.video().durationMs() * 1000;
        List<OutputProgress> list = new ArrayList<>();
        for (int i = 0; i < spec.outputUnits(); i++) {
            String name = i < spec.outputs().size() ? spec.outputs().get(i).name() : "thumbnails";
            long encoded = Optional.ofNullable(encodedUs.get(i)).orElse(0L);
            boolean done = total > 0 && encoded >= total;
            double share = total <= 0 ? 0 : Math.min(1.0, (double) encoded / total);
            list.add(new OutputProgress(name, share, done));
        }
        return list;
    }

    private JobUpdate update(
            String jobId,
            TrackerState state,
            JobStatus status,
            double progress,
            JobPlan withVideo,
            FailureCode code,
            String message,
            DeadLetter letter)
            throws Exception {
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
                System.currentTimeMillis(),
                letter,
                outputs(plan.value()),
                state.analysis(),
                null);
    }
}
