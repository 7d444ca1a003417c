package dev.vidprocme.records;

/**
 * What planning one job emits: one {@link JobPlan} for the tracker, then one record per segment.
 */
public record PlanOutput(JobPlan plan, SegmentTask segment) {
    public static PlanOutput of(JobPlan plan) {
        return new PlanOutput(plan, null);
    }

    public static PlanOutput of(SegmentTask segment) {
        return new PlanOutput(null, segment);
    }
}
