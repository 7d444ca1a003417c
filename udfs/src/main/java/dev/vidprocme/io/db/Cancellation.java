package dev.vidprocme.io.db;

/**
 * What a cancel request found.
 *
 * @param job the job after the request
 * @param cancelled false when the job had already ended (its status says how), so nothing changed
 */
public record Cancellation(JobDetails job, boolean cancelled) {}
