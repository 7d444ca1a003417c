package dev.vidprocme.records;

/**
 * Where a URI-submitted job reads its video from ({@code file://} under an allowed root, later
 * {@code gs://}).
 */
public record InputSpec(String uri) {}
