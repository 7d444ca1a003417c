package dev.vidprocme.records;

/**
 * A finished unit of a job, as the tracker receives it: exactly one of a decoded segment or a
 * transcoding unit. (One record type keeps the tracker a two-input operator and Flink's serializer
 * a POJO one.)
 */
public record WorkResult(SegmentResult segment, TranscodeResult transcode) {
    public static WorkResult of(SegmentResult segment) {
        return new WorkResult(segment, null);
    }

    public static WorkResult of(TranscodeResult transcode) {
        return new WorkResult(null, transcode);
    }

    public String jobId() {
        return segment != null ? segment.jobId() : transcode.jobId();
    }
}
