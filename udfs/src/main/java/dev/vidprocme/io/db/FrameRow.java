package dev.vidprocme.io.db;

/**
 * One extracted frame's metadata; the JPEG itself lives in the blob store under {@code blobKey}.
 */
public record FrameRow(
        String jobId,
        long index,
        long ptsMs,
        int width,
        int height,
        int bytes,
        String blobKey,
        int segment) {}
