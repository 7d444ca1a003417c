package dev.vidprocme.media;

import java.io.IOException;

/** Receives each sampled frame as a finished JPEG. */
@FunctionalInterface
public interface FrameSink {
    /**
     * @param index the frame's deterministic index within its job
     * @param ptsUs presentation time relative to the video's first frame
     */
    void accept(long index, long ptsUs, int width, int height, byte[] jpeg) throws IOException;
}
