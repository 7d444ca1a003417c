package dev.vidprocme.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.io.db.AnalysisRepository;
import dev.vidprocme.io.db.FrameRepository;
import dev.vidprocme.records.FrameAnalysis;
import dev.vidprocme.spec.Json;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code GET /v1/jobs/{id}/frames/{index}/analyses}: everything the analysers found in one frame,
 * for the dashboard's frame-by-frame view.
 */
final class FrameAnalysesHandler implements Handler {
    /** The response body. */
    record Page(List<Item> items) {}

    /** One analyser's result; {@code model} is "" for analysers without one. */
    record Item(String analyser, String model, JsonNode result) {}

    private final FrameRepository frames;
    private final AnalysisRepository analyses;

    FrameAnalysesHandler(FrameRepository frames, AnalysisRepository analyses) {
        this.frames = frames;
        this.analyses = analyses;
    }

    @Override
    public Reply handle(Request request) {
        String id = JobIds.parse(request.pathParam("id"));
        request.jobId(id);
        long index = QueryParams.index(request.pathParam("index"), "index");
        try {
            if (frames.find(id, index).isEmpty()) {
                throw ApiException.notFound("job " + id + " has no frame " + index);
            }
            return Reply.json(
                    200, new Page(analyses.forFrame(id, index).stream().map(this::item).toList()));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }

    private Item item(FrameAnalysis a) {
        try {
            return new Item(a.analyser(), a.model(), Json.mapper().readTree(a.resultJson()));
        } catch (JsonProcessingException e) {
            // jsonb only ever holds valid JSON; this would be a bug in the database driver.
            throw new UncheckedIOException(e);
        }
    }
}
