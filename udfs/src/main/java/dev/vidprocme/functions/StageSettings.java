package dev.vidprocme.functions;

import dev.vidprocme.io.db.DbSettings;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the pipeline's operators need to reach storage and size their work, read once from the job's
 * typed configuration and shipped with the functions.
 *
 * @param blobStoreUri where frames and uploads live ({@code file:///...})
 * @param allowedInputRoots folders {@code file://} inputs may come from
 * @param segmentTarget target segment length; segments start at keyframes
 * @param planWorkers threads per subtask that probe inputs
 * @param decodeWorkers threads per subtask that decode segments
 * @param decoderThreads FFmpeg threads per decoding segment (0 = FFmpeg's choice)
 * @param encodeThreads threads per decoding segment that rotate, scale and JPEG-encode frames
 * @param decodeDeadline how long one segment may decode once started
 * @param retry how failed units are retried before they are dead-lettered
 * @param queueAging how much waiting is worth one priority point (zero: strict priority)
 * @param gpu whether decode leases a GPU and decodes on it
 */
public record StageSettings(
        String blobStoreUri,
        DbSettings db,
        List<String> allowedInputRoots,
        Duration segmentTarget,
        int planWorkers,
        int decodeWorkers,
        int decoderThreads,
        int encodeThreads,
        Duration decodeDeadline,
        RetryPolicy retry,
        Duration queueAging,
        GpuSettings gpu)
        implements Serializable {

    public List<Path> allowedInputPaths() {
        return allowedInputRoots.stream().map(Path::of).toList();
    }
}
