package dev.vidprocme.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * What one analyser (with one model) found in one frame: the row {@code frame_analyses} stores and
 * search reads.
 *
 * @param analyser {@code ocr}, {@code stats} or {@code caption}
 * @param model the model that produced it, or "" when the analyser has none
 * @param resultJson the analyser's full output as a JSON document
 * @param body the searchable text (may be empty, e.g. for frame statistics)
 * @param embedding the sentence embedding of {@code body} (384 floats), or null when not computed
 */
public record FrameAnalysis(
        String jobId,
        long frameIndex,
        String analyser,
        String model,
        String resultJson,
        String body,
        float[] embedding) {
    public static final String OCR = "ocr";
    public static final String STATS = "stats";
    public static final String CAPTION = "caption";

    public FrameAnalysis {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(analyser, "analyser");
        Objects.requireNonNull(resultJson, "resultJson");
        model = model == null ? "" : model;
        body = body == null ? "" : body;
    }

    /** The same analysis carrying {@code vector} as its embedding. */
    public FrameAnalysis withEmbedding(float[] vector) {
        return new FrameAnalysis(jobId, frameIndex, analyser, model, resultJson, body, vector);
    }

    // Records compare arrays by identity; a replayed analysis must equal the original.
    @Override
    public boolean equals(Object o) {
        return o instanceof FrameAnalysis other
                && frameIndex == other.frameIndex
                && jobId.equals(other.jobId)
                && analyser.equals(other.analyser)
                && model.equals(other.model)
                && resultJson.equals(other.resultJson)
                && body.equals(other.body)
                && Arrays.equals(embedding, other.embedding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, frameIndex, analyser, model, resultJson, body)
                + 31 * Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "FrameAnalysis[jobId="
                + jobId
                + ", frameIndex="
                + frameIndex
                + ", analyser="
                + analyser
                + ", model="
                + model
                + ", body="
                + body
                + ", embedding="
                + (embedding == null ? "null" : embedding.length + " floats")
                + "]";
    }
}
