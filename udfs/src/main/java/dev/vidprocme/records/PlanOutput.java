package dev.vidprocme.records;

/**
 * What planning one job emits: one {@link JobPlan} for the tracker, then one record per segment and
 * one per transcoding unit (each rendition's parts, the thumbnails); exactly one field is set.
 */
public record PlanOutput(JobPlan plan, SegmentTask segment, TranscodeTask transcode)
        implements HasDisposition {
    public static PlanOutput of(JobPlan plan) {
        return new PlanOutput(plan, null, null);
    }

    public static PlanOutput of(SegmentTask segment) {
        return new PlanOutput(null, segment, null);
    }

    public static PlanOutput of(TranscodeTask transcode) {
        return new PlanOutput(null, null, transcode);
    }

    @Override
    public Disposition disposition() {
        return plan == null ? Disposition.DONE : plan.disposition();
    }
}
