package dev.vidprocme.bench;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.vidprocme.analysis.embed.TextEmbedder;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.io.db.AnalysisRepository;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.io.db.JobClaim;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.io.db.QueuedJob;
import dev.vidprocme.io.db.SearchRepository;
import dev.vidprocme.records.FrameAnalysis;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Search (issue 4), two questions answered with ratios measured in one run:
 *
 * <ol>
 *   <li>Which all-MiniLM-L6-v2 build to ship: the int8-quantised model's load time and time per
 *       embedding as a ratio to the full-precision model's (the baseline), and how well the two
 *       agree (cosine of their vectors for the same text; whether each ranks a paraphrase above an
 *       unrelated sentence).
 *   <li>What semantic search without pgvector costs: query time of a semantic search (cosine in SQL
 *       over every stored embedding) over all jobs and within one job, as ratios to a full-text
 *       search over all jobs (GIN index), on {@code --rows} stored analyses.
 * </ol>
 */
public final class SearchBenchmark {
    private static final String[] WORDS = {
        "train", "platform", "leeds", "exit", "sale", "shop", "street", "car", "bus", "river",
        "bridge", "crowd", "stage", "music", "kitchen", "chef", "dog", "park", "ball", "snow",
        "mountain", "sky", "night", "light", "sign", "open", "closed", "menu", "coffee", "market",
        "station", "ticket", "gate", "queue", "road", "tunnel", "window", "door", "red", "blue"
    };
    private static final String[][] TRIPLES = {
        {
            "A dog runs across the grassy park",
            "A puppy is sprinting through a field of grass",
            "The quarterly earnings report shows rising revenue"
        },
        {
            "A chef chops onions in a restaurant kitchen",
            "Someone is cutting vegetables while cooking",
            "Snow-covered mountains under a clear blue sky"
        },
        {
            "A red train waits at a railway station platform",
            "A locomotive stopped at the rail terminal",
            "A woman sings on stage at a concert"
        },
        {
            "SALE 50% OFF ALL SHOES",
            "Discounted footwear, half price",
            "Next bus to the airport in 5 minutes"
        },
        {
            "Cars queue in heavy traffic on the motorway",
            "A traffic jam on the highway",
            "A cat sleeps on a sofa by the window"
        }
    };

    private SearchBenchmark() {}

    public static void main(String[] args) {
        Bench.main(
                args,
                "search",
                (options, work) -> {
                    embedders(Bench.intOption(options, "embeds", 200));
                    search(
                            work,
                            Bench.intOption(options, "rows", 10_000),
                            Bench.intOption(options, "reps", 10));
                },
                "tmp",
                "embeds",
                "rows",
                "reps");
    }

    private static void embedders(int count) {
        long t0 = System.nanoTime();
        EmbeddingModel full = new AllMiniLmL6V2EmbeddingModel();
        long t1 = System.nanoTime();
        EmbeddingModel quantised = new AllMiniLmL6V2QuantizedEmbeddingModel();
        long t2 = System.nanoTime();
        System.out.printf(
                "load: full %.0f ms, quantised %.0f ms, ratio %.2f%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (double) (t2 - t1) / (t1 - t0));

        List<String> texts = sentences(count, new Random(7));
        for (int i = 0; i < 20; i++) {
            full.embed(texts.get(i));
            quantised.embed(texts.get(i));
        }
        // Alternating rounds, so drift in machine load hits both models alike.
        int rounds = 5;
        double[] fullMs = new double[rounds];
        double[] quantisedMs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            fullMs[r] = msPerEmbedding(full, texts);
            quantisedMs[r] = msPerEmbedding(quantised, texts);
        }
        double f = Bench.median(fullMs);
        double q = Bench.median(quantisedMs);
        System.out.printf(
                "embed (median of %d rounds of %d texts): full %.2f ms, quantised %.2f ms,"
                        + " ratio %.2f%n",
                rounds, texts.size(), f, q, q / f);

        double agreement = 0;
        for (String t : texts) {
            agreement += TextEmbedder.cosine(vector(full, t), vector(quantised, t));
        }
        System.out.printf(
                "agreement: mean cosine(full, quantised) of the same text %.4f%n",
                agreement / texts.size());
        for (EmbeddingModel m : List.of(full, quantised)) {
            int right = 0;
            double margin = 0;
            for (String[] t : TRIPLES) {
                double close = TextEmbedder.cosine(vector(m, t[0]), vector(m, t[1]));
                double far = TextEmbedder.cosine(vector(m, t[0]), vector(m, t[2]));
                right += close > far ? 1 : 0;
                margin += close - far;
            }
            System.out.printf(
                    "paraphrase above unrelated: %s %d/%d, mean margin %.3f%n",
                    m == full ? "full" : "quantised",
                    right,
                    TRIPLES.length,
                    margin / TRIPLES.length);
        }
    }

    private static double msPerEmbedding(EmbeddingModel m, List<String> texts) {
        long start = System.nanoTime();
        for (String t : texts) {
            m.embed(t);
        }
        return (System.nanoTime() - start) / 1e6 / texts.size();
    }

    private static float[] vector(EmbeddingModel m, String text) {
        return m.embed(text).content().vector();
    }

    private static void search(java.nio.file.Path work, int rows, int reps) throws Exception {
        try (EmbeddedPostgres postgres =
                        EmbeddedPostgres.builder().dataDirectory(work.resolve("pg")).start();
                Database db = open(postgres)) {
            int jobs = 10;
            int perJob = rows / jobs;
            List<String> ids = new ArrayList<>();
            Random random = new Random(11);
            long loadStart = System.nanoTime();
            for (int j = 0; j < jobs; j++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                new JobRepository(db.dataSource())
                        .insertQueued(
                                new QueuedJob(id, 5, "{}", "file:///b.mp4", null, null, null),
                                JobClaim.NONE);
                insertFrames(db, id, perJob);
                List<FrameAnalysis> batch = new ArrayList<>();
                for (String body : sentences(perJob, random)) {
                    // Random unit vectors: the cost of cosine in SQL does not depend on the
                    // values, and embedding 10,000 texts would dominate the run.
                    batch.add(
                            new FrameAnalysis(
                                    id,
                                    batch.size(),
                                    FrameAnalysis.OCR,
                                    "bench",
                                    "{}",
                                    body,
                                    randomUnit(random)));
                }
                new AnalysisRepository(db.dataSource()).upsert(batch);
            }
            try (Connection c = db.connection()) {
                c.createStatement().execute("VACUUM ANALYZE frame_analyses");
            }
            System.out.printf(
                    "stored %d analyses in %d jobs in %.1f s%n",
                    jobs * perJob, jobs, (System.nanoTime() - loadStart) / 1e9);

            SearchRepository search = new SearchRepository(db.dataSource());
            String query = "train station";
            float[] vector = TextEmbedder.shared().embed(query);
            String one = ids.get(3);
            int limit = 20;
            Query textAll = () -> search.text(query, null, limit).size();
            Query textOne = () -> search.text(query, one, limit).size();
            Query semanticAll = () -> search.semantic(query, vector, null, limit).size();
            Query semanticOne = () -> search.semantic(query, vector, one, limit).size();
            // Rankings the migration did not choose: sum() over unnest(a, b) in plain SQL, the dot
            // product and the full cosine (which needs no unit vectors).
            Query unnestDot = () -> unnestRanking(db, vector, limit, UNNEST_DOT);
            Query unnestCosine = () -> unnestRanking(db, vector, limit, UNNEST_COSINE);
            Query[] queries = {textAll, textOne, semanticAll, semanticOne, unnestDot, unnestCosine};
            String[] names = {
                "text, all jobs (baseline)",
                "text, one job",
                "semantic, all jobs",
                "semantic, one job",
                "semantic, all, unnest dot",
                "semantic, all, unnest cosine"
            };
            for (Query q : queries) {
                q.run();
            }
            double[][] ms = new double[queries.length][reps];
            int[] hits = new int[queries.length];
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < queries.length; i++) {
                    long start = System.nanoTime();
                    hits[i] = queries[i].run();
                    ms[i][r] = (System.nanoTime() - start) / 1e6;
                }
            }
            double base = Bench.median(ms[0]);
            for (int i = 0; i < queries.length; i++) {
                double median = Bench.median(ms[i]);
                System.out.printf(
                        "%-28s median %8.2f ms  p90 %8.2f ms  hits %3d  ratio %6.2f%n",
                        names[i], median, Bench.percentile(ms[i], 90), hits[i], median / base);
            }
            System.out.printf(
                    "semantic scan: %.1f us per stored embedding (all jobs)%n",
                    Bench.median(ms[2]) * 1000 / (jobs * perJob));
        }
    }

    private static final String UNNEST_DOT =
            "(SELECT sum(x::double precision * y) FROM unnest(embedding, ?::real[]) AS t(x, y))";
    private static final String UNNEST_COSINE =
            "(SELECT sum(x::double precision * y) / nullif(sqrt(sum(x::double precision * x))"
                    + " * sqrt(sum(y::double precision * y)), 0) FROM unnest(embedding,"
                    + " ?::real[]) AS t(x, y))";

    private static int unnestRanking(Database db, float[] vector, int limit, String score)
            throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT job_id, frame_idx FROM frame_analyses WHERE embedding IS"
                                        + " NOT NULL ORDER BY "
                                        + score
                                        + " DESC LIMIT ?")) {
            ps.setArray(1, c.createArrayOf("float4", boxed(TextEmbedder.normalised(vector))));
            ps.setInt(2, limit);
            int n = 0;
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            return n;
        }
    }

    private static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** One timed query; returns the number of hits so the work cannot be skipped. */
    @FunctionalInterface
    private interface Query {
        int run() throws Exception;
    }

    private static Database open(EmbeddedPostgres postgres) {
        DbSettings settings =
                new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Database.migrate(settings);
        return Database.connect(settings, 2, "search-bench");
    }

    private static void insertFrames(Database db, String id, int count) throws Exception {
        try (Connection c = db.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO frames (job_id, idx, pts_ms, width, height, bytes,"
                                        + " blob_key, segment) VALUES (?, ?, ?, 64, 36, 1, 'k',"
                                        + " 0)")) {
            for (int i = 0; i < count; i++) {
                ps.setString(1, id);
                ps.setLong(2, i);
                ps.setLong(3, i * 40L);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static List<String> sentences(int count, Random random) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = 6 + random.nextInt(10);
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < n; w++) {
                s.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            }
            out.add(s.toString());
        }
        return out;
    }

    private static float[] randomUnit(Random random) {
        float[] v = new float[TextEmbedder.DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
