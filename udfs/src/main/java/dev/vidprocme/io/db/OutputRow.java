package dev.vidprocme.io.db;

import dev.vidprocme.io.blob.BlobKeys;
import java.time.Instant;

/**
 * One object a job produced.
 *
 * @param name the object's name relative to the job ({@code 480p.mp4}, {@code hls/master.m3u8})
 * @param blobKey where the object is in the blob store
 * @param rendition the rendition label it belongs to, or null for job-wide objects
 * @param createdAt when the row was first written; null on rows about to be written
 */
public record OutputRow(
        String jobId,
        String name,
        OutputKind kind,
        String contentType,
        long bytes,
        String blobKey,
        String rendition,
        Instant createdAt) {

    public OutputRow {
        BlobKeys.check(name);
        BlobKeys.check(blobKey);
        if (kind == null) {
            throw new IllegalArgumentException("output " + name + " needs a kind");
        }
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("output " + name + " needs a content type");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("output " + name + " has negative size " + bytes);
        }
    }

    /** A row for an object stored under the job's standard key ({@link BlobKeys#output}). */
    public static OutputRow of(
            String jobId,
            String name,
            OutputKind kind,
            String contentType,
            long bytes,
            String rendition) {
        return new OutputRow(
                jobId,
                name,
                kind,
                contentType,
                bytes,
                BlobKeys.output(jobId, name),
                rendition,
                null);
    }
}
