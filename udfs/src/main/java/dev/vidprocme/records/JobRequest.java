package dev.vidprocme.records;

/**
 * The event on the jobs topic that starts a job. The ingest API has already stored the job row
 * (QUEUED) and, for uploads, the file.
 *
 * @param jobId UUID of the job, also the Kafka key
 * @param inputUri {@code blob:<key>} for uploads, {@code file:///...} for allowed local files
 * @param spec the validated spec (without its input section)
 * @param submittedAtMs epoch millis when the API accepted the job
 */
public record JobRequest(String jobId, String inputUri, JobSpec spec, long submittedAtMs) {}
