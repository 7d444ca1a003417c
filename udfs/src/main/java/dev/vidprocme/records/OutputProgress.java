package dev.vidprocme.records;

/**
 * How far one output of a job has come.
 *
 * @param name the rendition's name, or {@code thumbnails}
 * @param progress share of the input encoded, 0..1 (1 once joined and verified)
 * @param done whether the output is finished and verified
 */
public record OutputProgress(String name, double progress, boolean done) {}
