package dev.vidprocme.io.db;

/**
 * One frame that matched a search, best analysis of the frame only.
 *
 * @param analyser which analysis matched: {@code ocr} or {@code caption}
 * @param snippet HTML-escaped text of the matching analysis, query words wrapped in {@code
 *     <mark>}…{@code </mark>}
 * @param score text mode: {@code ts_rank_cd} normalised to [0, 1); semantic mode: cosine similarity
 *     in [-1, 1]; higher is better in both
 */
public record SearchHit(
        String jobId, long frameIndex, long ptsMs, String analyser, String snippet, double score) {}
