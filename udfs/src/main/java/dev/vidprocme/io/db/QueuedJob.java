package dev.vidprocme.io.db;

/**
 * A job the API has accepted and is about to record as QUEUED.
 *
 * @param specJson the normalised spec, stored as jsonb
 * @param sourceName the sanitised upload file name, or null
 * @param sourceBytes the upload's size, or null for URI jobs
 * @param replayOf the dead letter this job resubmits, or null
 */
public record QueuedJob(
        String id,
        int priority,
        String specJson,
        String inputUri,
        String sourceName,
        Long sourceBytes,
        String replayOf) {}
