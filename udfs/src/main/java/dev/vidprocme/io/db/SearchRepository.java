package dev.vidprocme.io.db;

import dev.vidprocme.analysis.embed.TextEmbedder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Searches stored analyses: full text over {@code frame_analyses.tsv} (GIN index), or by meaning
 * over the stored sentence embeddings. Both answer one hit per frame, best first. The semantic
 * ranking is a scan with cosine similarity in SQL (no pgvector here); at larger scale pgvector with
 * an HNSW index replaces its query behind the same method (docs/architecture.md, "Search").
 */
public final class SearchRepository {
    /** The most hits one search returns. */
    public static final int MAX_LIMIT = 200;

    // ts_headline wraps matches in these; the text is HTML-escaped afterwards and they become
    // <mark> tags, so markup in OCR text or captions can never reach a page as markup. Stored
    // bodies have control characters removed (AnalysisRepository), so they cannot collide.
    private static final char START = '\u0002';
    private static final char STOP = '\u0003';
    private static final String HEADLINE_OPTIONS =
            "StartSel="
                    + START
                    + ", StopSel="
                    + STOP
                    // One excerpt, not fragments: fragments trim a short OCR line to the matched
                    // words alone, and captions and on-screen text are short.
                    + ", MaxWords=35, MinWords=15, ShortWord=1";
    // 1: divide by 1 + log(length), so long captions do not win by size alone;
    // 32: rank / (rank + 1), a score in [0, 1).
    private static final int RANK_NORMALISATION = 1 | 32;

    private final DataSource dataSource;

    public SearchRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Frames whose OCR text or caption matches {@code query} in web-search syntax ({@code "exact
     * phrase"}, {@code or}, {@code -excluded}), ranked by {@code ts_rank_cd}.
     *
     * @param jobId only this job's frames, or all jobs when null
     */
    public List<SearchHit> text(String query, String jobId, int limit) throws SQLException {
        checkQuery(query, limit);
        String sql =
                "WITH q AS (SELECT websearch_to_tsquery('simple', ?) AS query),"
                        + " best AS (SELECT DISTINCT ON (a.job_id, a.frame_idx) a.job_id,"
                        + " a.frame_idx, a.analyser, a.body, ts_rank_cd(a.tsv, q.query, ?) AS score"
                        + " FROM frame_analyses a, q WHERE a.tsv @@ q.query"
                        + (jobId == null ? "" : " AND a.job_id = ?")
                        + " ORDER BY a.job_id, a.frame_idx, score DESC, a.analyser),"
                        + " top AS (SELECT * FROM best ORDER BY score DESC, job_id, frame_idx"
                        + " LIMIT ?)"
                        + " SELECT t.job_id, t.frame_idx, f.pts_ms, t.analyser,"
                        + " ts_headline('simple', t.body, q.query, ?), t.score"
                        + " FROM top t JOIN frames f ON f.job_id = t.job_id AND f.idx ="
                        + " t.frame_idx, q ORDER BY t.score DESC, t.job_id, t.frame_idx";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, query);
            ps.setInt(i++, RANK_NORMALISATION);
            if (jobId != null) {
                ps.setString(i++, jobId);
            }
            ps.setInt(i++, limit);
            ps.setString(i, HEADLINE_OPTIONS);
            return hits(ps);
        }
    }

    /**
     * Frames whose analyses mean something close to the query, ranked by the cosine similarity of
     * their stored embeddings to {@code queryVector} (the same model's embedding of {@code query}).
     * The snippet highlights the query's words where the text contains them.
     *
     * @param jobId only this job's frames, or all jobs when null
     */
    public List<SearchHit> semantic(String query, float[] queryVector, String jobId, int limit)
            throws SQLException {
        checkQuery(query, limit);
        if (queryVector == null || queryVector.length != TextEmbedder.DIMENSIONS) {
            throw new IllegalArgumentException(
                    "queryVector must have "
                            + TextEmbedder.DIMENSIONS
                            + " dimensions, got "
                            + (queryVector == null ? "none" : queryVector.length));
        }
        // The filter on job_id comes before any similarity is computed: the primary key's prefix
        // narrows the scan to one job.
        String sql =
                "WITH best AS (SELECT DISTINCT ON (a.job_id, a.frame_idx) a.job_id, a.frame_idx,"
                        + " a.analyser, a.body, unit_cosine(a.embedding, ?) AS score"
                        + " FROM frame_analyses a WHERE a.embedding IS NOT NULL"
                        + (jobId == null ? "" : " AND a.job_id = ?")
                        + " ORDER BY a.job_id, a.frame_idx, score DESC, a.analyser),"
                        + " top AS (SELECT * FROM best ORDER BY score DESC, job_id, frame_idx"
                        + " LIMIT ?),"
                        // Any of the query's words, not all: a paraphrase may share only some.
                        + " q AS (SELECT replace(plainto_tsquery('simple', ?)::text, ' & ',"
                        + " ' | ')::tsquery AS words)"
                        + " SELECT t.job_id, t.frame_idx, f.pts_ms, t.analyser,"
                        + " ts_headline('simple', t.body, q.words, ?), t.score"
                        + " FROM top t JOIN frames f ON f.job_id = t.job_id AND f.idx ="
                        + " t.frame_idx, q ORDER BY t.score DESC, t.job_id, t.frame_idx";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setArray(i++, AnalysisRepository.realArray(c, TextEmbedder.normalised(queryVector)));
            if (jobId != null) {
                ps.setString(i++, jobId);
            }
            ps.setInt(i++, limit);
            ps.setString(i++, query);
            ps.setString(i, HEADLINE_OPTIONS);
            return hits(ps);
        }
    }

    private static void checkQuery(String query, int limit) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query must not be blank");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    private static List<SearchHit> hits(PreparedStatement ps) throws SQLException {
        List<SearchHit> hits = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                hits.add(
                        new SearchHit(
                                rs.getString(1),
                                rs.getLong(2),
                                rs.getLong(3),
                                rs.getString(4),
                                snippet(rs.getString(5)),
                                rs.getDouble(6)));
            }
        }
        return hits;
    }

    /**
     * {@code headline} HTML-escaped, with the highlight markers turned into {@code <mark>} tags.
     */
    static String snippet(String headline) {
        StringBuilder out = new StringBuilder(headline.length() + 32);
        for (int i = 0; i < headline.length(); i++) {
            char ch = headline.charAt(i);
            switch (ch) {
                case START -> out.append("<mark>");
                case STOP -> out.append("</mark>");
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
