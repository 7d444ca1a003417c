package dev.vidprocme.io.db;

/**
 * A job as the API shows it: the stored row plus where it came from, kept apart from {@link JobRow}
 * because the pipeline never needs the origin.
 *
 * @param replayOf the dead letter this job resubmits, or null
 */
public record JobDetails(JobRow row, String replayOf) {}
