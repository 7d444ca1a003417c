package dev.vidprocme.api;

import dev.vidprocme.io.db.SearchHit;
import dev.vidprocme.io.db.SearchRepository;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code GET /v1/search}: frames whose OCR text or captions match a query, by words ({@code
 * mode=text}) or by meaning ({@code mode=semantic}), best first, each with a signed image URL.
 */
final class SearchHandler implements Handler {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_QUERY_LENGTH = 500;

    /** The response body. */
    record Page(List<Item> items) {}

    /** One matching frame; {@code snippet} is HTML-escaped with matches in {@code <mark>}. */
    record Item(
            String jobId,
            long frameIndex,
            long ptsMs,
            String url,
            String snippet,
            double score,
            String analyser) {}

    private final SearchRepository search;
    private final Function<String, float[]> embedder;
    private final FrameUrlSigner signer;
    private final String baseUrl;

    /**
     * @param embedder the embedding of a query, by the model that embedded the stored analyses
     */
    SearchHandler(
            SearchRepository search,
            Function<String, float[]> embedder,
            FrameUrlSigner signer,
            String baseUrl) {
        this.search = search;
        this.embedder = embedder;
        this.signer = signer;
        this.baseUrl = baseUrl;
    }

    @Override
    public Reply handle(Request request) {
        String q = request.query("q");
        if (q == null || q.isBlank()) {
            throw ApiException.invalidParameter("q", "q (the search text) is required");
        }
        q = q.strip();
        if (q.length() > MAX_QUERY_LENGTH) {
            throw ApiException.invalidParameter(
                    "q",
                    "q must be at most " + MAX_QUERY_LENGTH + " characters, got " + q.length());
        }
        String mode = mode(request.query("mode"));
        String rawJobId = request.query("jobId");
        String jobId = rawJobId == null ? null : JobIds.parse(rawJobId, "jobId", "jobId");
        request.jobId(jobId);
        int limit =
                (int)
                        QueryParams.longParam(
                                request, "limit", DEFAULT_LIMIT, 1, SearchRepository.MAX_LIMIT);
        List<SearchHit> hits;
        try {
            hits =
                    "semantic".equals(mode)
                            ? search.semantic(q, embedder.apply(q), jobId, limit)
                            : search.text(q, jobId, limit);
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
        return Reply.json(200, new Page(hits.stream().map(this::item).toList()));
    }

    private static String mode(String raw) {
        if (raw == null) {
            return "text";
        }
        String mode = raw.strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("text") && !mode.equals("semantic")) {
            throw ApiException.invalidParameter(
                    "mode", "mode must be 'text' or 'semantic', got '" + raw + "'");
        }
        return mode;
    }

    private Item item(SearchHit h) {
        return new Item(
                h.jobId(),
                h.frameIndex(),
                h.ptsMs(),
                baseUrl + signer.signedPath(h.jobId(), h.frameIndex()),
                h.snippet(),
                h.score(),
                h.analyser());
    }
}
