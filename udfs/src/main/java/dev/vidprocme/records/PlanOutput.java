package dev.vidprocme.records;

/**
 * What planning one job emits: one {@link JobPlan} for the tracker, then one record per segment.
 */
public record PlanOutput(JobPlan plan, SegmentTask segment) implements HasDisposition {
    public static PlanOutput of(JobPlan plan) {
        return new PlanOutput(plan, null);
    }

    public static PlanOutput of(SegmentTask segment) {
        return new PlanOutput(null, segment);
    }

    @Override
    public Disposition disposition() {
        return plan == null ? Disposition.DONE : plan.disposition();
    }
}
