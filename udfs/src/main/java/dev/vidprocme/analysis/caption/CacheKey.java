package dev.vidprocme.analysis.caption;

/**
 * What a caption is cached under: the same image asked the same way of the same model gets the same
 * answer, whichever job or replay asks.
 *
 * @param imageSha256 sha256 of the JPEG bytes
 * @param model {@code provider:model}, so one name served by two providers stays apart
 * @param promptSha256 sha256 of the prompt and the fields asked for
 */
public record CacheKey(String imageSha256, String model, String promptSha256) {}
