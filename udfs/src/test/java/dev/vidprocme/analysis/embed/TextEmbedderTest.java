package dev.vidprocme.analysis.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The in-process sentence embedder: meaning, shape, sharing between threads. */
class TextEmbedderTest {
    private final TextEmbedder embedder = TextEmbedder.shared();

    @Test
    void closeSentencesScoreHigherThanUnrelatedOnes() {
        float[] dog = embedder.embed("A dog runs across the grassy park");
        float[] puppy = embedder.embed("A puppy is sprinting through a field of grass");
        float[] earnings = embedder.embed("The quarterly earnings report shows rising revenue");
        float[] sale = embedder.embed("SALE 50% OFF ALL SHOES");

        double paraphrase = TextEmbedder.cosine(dog, puppy);
        assertThat(paraphrase).isGreaterThan(TextEmbedder.cosine(dog, earnings) + 0.25);
        assertThat(paraphrase).isGreaterThan(TextEmbedder.cosine(dog, sale) + 0.25);
    }

    @Test
    void vectorsHave384NormalisedDimensionsAndAreDeterministic() {
        float[] v = embedder.embed("Platform 4");
        assertThat(v).hasSize(TextEmbedder.DIMENSIONS);
        assertThat(TextEmbedder.cosine(v, v)).isCloseTo(1.0, within(1e-5));
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        assertThat(norm).isCloseTo(1.0, within(1e-4));
        assertThat(embedder.embed("Platform 4")).containsExactly(v);
    }

    @Test
    void isSharedAndGivesTheSameAnswersFromManyThreads() throws Exception {
        assertThat(TextEmbedder.shared()).isSameAs(embedder);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            texts.add("frame " + i + " shows a sign reading EXIT " + (i * 7));
        }
        List<float[]> sequential = texts.stream().map(embedder::embed).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> parallel = new ArrayList<>();
            for (String t : texts) {
                parallel.add(pool.submit(() -> embedder.embed(t)));
            }
            for (int i = 0; i < texts.size(); i++) {
                assertThat(TextEmbedder.cosine(parallel.get(i).get(), sequential.get(i)))
                        .as(texts.get(i))
                        .isCloseTo(1.0, within(1e-5));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesBlankText() {
        assertThatThrownBy(() -> embedder.embed("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cosineRefusesVectorsOfDifferentLengths() {
        assertThatThrownBy(() -> TextEmbedder.cosine(new float[2], new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 and 3");
    }
}
