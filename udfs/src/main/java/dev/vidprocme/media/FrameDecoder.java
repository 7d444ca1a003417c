package dev.vidprocme.media;

import dev.vidprocme.records.SegmentTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Turns one segment of a video into frames for a {@link FrameSink}. */
public interface FrameDecoder {
    /**
     * @param stop checked between packets and frames; when it turns true the decode ends with
     *     {@link dev.vidprocme.records.FailureCode#DEADLINE_EXCEEDED}
     */
    DecodeOutcome decode(Path input, SegmentTask task, FrameSink sink, BooleanSupplier stop)
            throws MediaException, IOException;
}
