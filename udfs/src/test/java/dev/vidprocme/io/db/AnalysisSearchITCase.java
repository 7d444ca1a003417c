package dev.vidprocme.io.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.analysis.embed.TextEmbedder;
import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.records.FrameAnalysis;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Analysis storage and search against a real PostgreSQL migrated by Flyway, with real embeddings:
 * idempotent upserts, full-text ranking and highlighting, the job filter and semantic ranking.
 */
class AnalysisSearchITCase {
    private static EmbeddedPostgres postgres;
    private static Database database;
    private static JobRepository jobs;
    private static AnalysisRepository analyses;
    private static SearchRepository search;
    private static final TextEmbedder EMBEDDER = TextEmbedder.shared();

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Database.migrate(db);
        database = Database.connect(db, 4, "analysis-search-it");
        jobs = new JobRepository(database.dataSource());
        analyses = new AnalysisRepository(database.dataSource());
        search = new SearchRepository(database.dataSource());
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void embeddedPostgresHasNoPgvector() throws Exception {
        try (Connection c = database.connection();
                Statement s = c.createStatement()) {
            var rs =
                    s.executeQuery(
                            "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'");
            rs.next();
            // If this fails, pgvector became available: switch SearchRepository.semantic to it.
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void replayedUpsertOverwritesInsteadOfDuplicating() throws Exception {
        String job = jobWithFrames(3);
        FrameAnalysis first = ocr(job, 1, "OPEN 24 HOURS");
        FrameAnalysis caption = caption(job, 1, "A shop front at night");
        analyses.upsert(List.of(first, caption));
        FrameAnalysis corrected = ocr(job, 1, "OPEN 7 DAYS");
        analyses.upsert(List.of(corrected, caption));

        assertThat(analyses.forFrame(job, 1)).containsExactly(caption, corrected);
        assertThat(analyses.forJob(job)).containsExactly(caption, corrected);
        assertThat(search.text("hours", job, 10)).isEmpty();
        assertThat(search.text("days", job, 10)).hasSize(1);
    }

    @Test
    void upsertRunsInTheCallersTransaction() throws Exception {
        String job = jobWithFrames(1);
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            AnalysisRepository.upsert(c, List.of(ocr(job, 0, "ROLLED BACK")));
            c.rollback();
            assertThat(analyses.forFrame(job, 0)).isEmpty();
            AnalysisRepository.upsert(c, List.of(ocr(job, 0, "COMMITTED")));
            assertThat(c.isClosed()).isFalse();
            c.commit();
        }
        assertThat(analyses.forFrame(job, 0))
                .extracting(FrameAnalysis::body)
                .containsExactly("COMMITTED");
    }

    @Test
    void statisticsWithoutModelOrTextAreStoredAndNeverMatch() throws Exception {
        String job = jobWithFrames(1);
        FrameAnalysis stats =
                new FrameAnalysis(
                        job, 0, FrameAnalysis.STATS, null, "{\"brightness\": 0.4}", null, null);
        analyses.upsert(List.of(stats));
        FrameAnalysis stored = analyses.forFrame(job, 0).get(0);
        assertThat(stored.model()).isEmpty();
        assertThat(stored.body()).isEmpty();
        assertThat(stored.embedding()).isNull();
        assertThat(stored.resultJson()).isEqualTo("{\"brightness\": 0.4}");
    }

    @Test
    void anAnalysisNeedsItsFrameAndGoesWithItsJob() throws Exception {
        String job = jobWithFrames(1);
        assertThatThrownBy(() -> analyses.upsert(List.of(ocr(job, 5, "NO SUCH FRAME"))))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("frame_analyses");
        analyses.upsert(List.of(ocr(job, 0, "KEPT UNTIL THE JOB GOES")));
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
            ps.setString(1, job);
            ps.executeUpdate();
        }
        assertThat(analyses.forJob(job)).isEmpty();
    }

    @Test
    void textSearchRanksDenserMatchesFirstAndHighlightsTheWords() throws Exception {
        String job = jobWithFrames(3);
        analyses.upsert(
                List.of(
                        ocr(job, 0, "Platform 4 for trains to Leeds"),
                        ocr(job, 1, "Leeds Leeds: next train to Leeds departs 10:42"),
                        caption(job, 2, "A cat asleep on a sofa")));

        List<SearchHit> hits = search.text("leeds train", job, 10);

        assertThat(hits).extracting(SearchHit::frameIndex).containsExactly(1L);
        assertThat(hits.get(0).snippet())
                .contains("<mark>Leeds</mark>")
                .contains("<mark>train</mark>");
        assertThat(hits.get(0).ptsMs()).isEqualTo(1000);
        assertThat(hits.get(0).analyser()).isEqualTo("ocr");

        List<SearchHit> either = search.text("leeds or cat", job, 10);
        assertThat(either).extracting(SearchHit::frameIndex).containsExactlyInAnyOrder(0L, 1L, 2L);
        assertThat(either.get(0).frameIndex()).isEqualTo(1L);
        assertThat(either).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        assertThat(either).allSatisfy(h -> assertThat(h.score()).isGreaterThan(0).isLessThan(1));
        assertThat(search.text("leeds -platform", job, 10))
                .extracting(SearchHit::frameIndex)
                .containsExactly(1L);
        assertThat(search.text("leeds", job, 1))
                .extracting(SearchHit::frameIndex)
                .containsExactly(1L);
    }

    @Test
    void oneHitPerFrameFromItsBestAnalysis() throws Exception {
        String job = jobWithFrames(1);
        analyses.upsert(
                List.of(
                        ocr(job, 0, "harbour master office closed today"),
                        caption(job, 0, "Boats in a harbour, harbour lights, harbour wall")));

        List<SearchHit> hits = search.text("harbour", job, 10);

        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).analyser()).isEqualTo("caption");
    }

    @Test
    void ocrWordsAreMatchedLiterallyAndMarkupIsEscaped() throws Exception {
        String job = jobWithFrames(1);
        analyses.upsert(
                List.of(ocr(job, 0, "The Who & friends <script>alert(1)</script> live at Leeds")));

        List<SearchHit> hits = search.text("the who", job, 10);

        assertThat(hits).hasSize(1);
        String snippet = hits.get(0).snippet();
        assertThat(snippet).startsWith("<mark>The</mark> <mark>Who</mark> &amp; friends");
        assertThat(snippet.replace("<mark>", "").replace("</mark>", "")).doesNotContain("<", ">");
    }

    @Test
    void jobFilterKeepsOtherJobsOut() throws Exception {
        String mine = jobWithFrames(1);
        String other = jobWithFrames(1);
        String word = "zebra" + UUID.randomUUID().toString().substring(0, 8);
        analyses.upsert(List.of(ocr(mine, 0, word + " crossing")));
        analyses.upsert(List.of(ocr(other, 0, word + " crossing ahead")));

        assertThat(search.text(word, mine, 10)).extracting(SearchHit::jobId).containsExactly(mine);
        assertThat(search.text(word, null, 10))
                .extracting(SearchHit::jobId)
                .containsExactlyInAnyOrder(mine, other);
        float[] q = EMBEDDER.embed(word);
        assertThat(search.semantic(word, q, other, 10))
                .extracting(SearchHit::jobId)
                .containsOnly(other);
    }

    @Test
    void semanticSearchPutsTheParaphraseFirst() throws Exception {
        String job = jobWithFrames(4);
        analyses.upsert(
                List.of(
                        caption(job, 0, "A chef slices vegetables in a restaurant kitchen"),
                        caption(job, 1, "A dog chases a ball across a grassy park"),
                        ocr(job, 2, "QUARTERLY REVENUE UP 12%"),
                        caption(job, 3, "Snow-covered mountains under a clear blue sky")));

        String query = "puppy running after a ball on the lawn";
        List<SearchHit> hits = search.semantic(query, EMBEDDER.embed(query), job, 10);

        assertThat(hits).extracting(SearchHit::frameIndex).startsWith(1L).hasSize(4);
        assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score() + 0.1);
        // Shared words are highlighted even though the ranking came from meaning.
        assertThat(hits.get(0).snippet()).contains("<mark>ball</mark>");
        // Nothing in the text search matches the paraphrase's words together.
        assertThat(search.text(query, job, 10)).isEmpty();
    }

    @Test
    void rowsWithoutEmbeddingsAreLeftOutOfSemanticSearch() throws Exception {
        String job = jobWithFrames(2);
        analyses.upsert(
                List.of(
                        ocr(job, 0, "EXIT"),
                        new FrameAnalysis(job, 1, FrameAnalysis.OCR, "", "{}", "EXIT", null)));
        List<SearchHit> hits = search.semantic("exit", EMBEDDER.embed("exit"), job, 10);
        assertThat(hits).extracting(SearchHit::frameIndex).containsExactly(0L);
    }

    @Test
    void storedVectorsAreUnitLengthAndSqlCosineAgreesWithJava() throws Exception {
        String job = jobWithFrames(1);
        float[] a = EMBEDDER.embed("red bus on a bridge");
        float[] b = EMBEDDER.embed("a double-decker crossing the river");
        float[] longA = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            longA[i] = a[i] * 3;
        }
        analyses.upsert(
                List.of(
                        new FrameAnalysis(
                                job, 0, FrameAnalysis.CAPTION, "m", "{}", "red bus", longA)));
        float[] stored = analyses.forFrame(job, 0).get(0).embedding();
        assertThat(TextEmbedder.cosine(stored, a)).isCloseTo(1.0, within());
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement("SELECT unit_cosine(?, ?)")) {
            ps.setArray(1, AnalysisRepository.realArray(c, stored));
            ps.setArray(2, AnalysisRepository.realArray(c, b));
            var rs = ps.executeQuery();
            rs.next();
            assertThat(rs.getDouble(1)).isCloseTo(TextEmbedder.cosine(a, b), within());
            ps.setArray(2, AnalysisRepository.realArray(c, new float[] {1f, 0f}));
            assertThatThrownBy(ps::executeQuery).hasMessageContaining("384 and 2");
        }
    }

    @Test
    void refusesBlankQueriesAndLimitsOutOfRange() {
        assertThatThrownBy(() -> search.text(" ", null, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query");
        assertThatThrownBy(() -> search.text("x", null, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> search.semantic("x", new float[3], null, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("384 dimensions, got 3");
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-5);
    }

    private static FrameAnalysis ocr(String job, long frame, String text) {
        return new FrameAnalysis(
                job,
                frame,
                FrameAnalysis.OCR,
                "pp-ocrv4",
                "{\"lines\": [{\"text\": \"x\", \"confidence\": 0.9}]}",
                text,
                EMBEDDER.embed(text));
    }

    private static FrameAnalysis caption(String job, long frame, String text) {
        return new FrameAnalysis(
                job,
                frame,
                FrameAnalysis.CAPTION,
                "llava",
                "{\"caption\": \"x\"}",
                text,
                EMBEDDER.embed(text));
    }

    /** A queued job with frames 0..count-1, frame i at i seconds. */
    private static String jobWithFrames(int count) throws SQLException {
        String id = UUID.randomUUID().toString();
        jobs.insertQueued(
                new QueuedJob(id, 5, "{}", "file:///srv/v.mp4", null, null, null), JobClaim.NONE);
        try (Connection c = database.connection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO frames (job_id, idx, pts_ms, width, height, bytes,"
                                    + " blob_key, segment) VALUES (?, ?, ?, 64, 36, 100, ?, 0)")) {
            for (int i = 0; i < count; i++) {
                ps.setString(1, id);
                ps.setLong(2, i);
                ps.setLong(3, i * 1000L);
                ps.setString(4, "frames/" + id + "/" + i + ".jpg");
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return id;
    }
}
