package dev.vidprocme.analysis.embed;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.Objects;

/**
 * Turns text into a 384-float sentence embedding with all-MiniLM-L6-v2 (int8-quantised), computed
 * in this JVM by ONNX Runtime: stored analyses and search queries go through the same model, so
 * their vectors compare. Thread-safe; one {@link #shared()} instance per JVM, because the model
 * session holds tens of megabytes and takes a moment to load.
 */
public final class TextEmbedder {
    /**
     * Dimensions of every vector this class returns; {@code frame_analyses.embedding} checks it.
     */
    public static final int DIMENSIONS = 384;

    private final EmbeddingModel model;

    /**
     * Wraps {@code model}, which must return 384 dimensions; production code uses {@link
     * #shared()}, whose vectors are the ones stored.
     */
    public TextEmbedder(EmbeddingModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Holds the shared instance, so the model loads on first use (initialisation-on-demand). */
    private static final class Holder {
        // Lazy: loading the ONNX session costs a few hundred milliseconds and memory, which
        // processes that never embed (most operators) should not pay.
        static final TextEmbedder SHARED =
                new TextEmbedder(new AllMiniLmL6V2QuantizedEmbeddingModel());
    }

    /** The JVM-wide instance, loaded on first use. */
    public static TextEmbedder shared() {
        return Holder.SHARED;
    }

    /**
     * The embedding of {@code text}, L2-normalised (so a dot product is the cosine similarity).
     * Text longer than the model's 256-token window is embedded in windows and averaged by
     * langchain4j.
     *
     * @throws IllegalArgumentException when {@code text} is null or blank: it has no meaning to
     *     embed
     */
    public float[] embed(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cannot embed blank text");
        }
        float[] vector = model.embed(text).content().vector();
        if (vector.length != DIMENSIONS) {
            throw new IllegalStateException(
                    "the embedding model returned "
                            + vector.length
                            + " dimensions, expected "
                            + DIMENSIONS);
        }
        return normalised(vector);
    }

    /** Cosine similarity of two vectors of the same length. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "vectors differ in length: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** {@code v} scaled to unit length (a copy); all zeros stay as they are. */
    public static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm == 0) {
            return v;
        }
        double scale = 1 / Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * scale);
        }
        return out;
    }
}
