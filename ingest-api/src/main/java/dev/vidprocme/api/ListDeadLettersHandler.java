package dev.vidprocme.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vidprocme.io.db.DeadLetterRepository;
import dev.vidprocme.io.db.DeadLetterRow;
import dev.vidprocme.records.DeadLetter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** {@code GET /v1/dlq}: the newest dead letters, optionally of one job. */
final class ListDeadLettersHandler implements Handler {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    /** The response body. */
    record Page(List<Item> items) {}

    /**
     * One dead letter; {@code at} is an ISO-8601 UTC instant. {@code replayedJobId} is written as
     * null rather than left out, so clients can tell "not replayed" from an older server.
     */
    record Item(
            String id,
            String jobId,
            String stage,
            int unit,
            int attempts,
            String errorClass,
            String message,
            String at,
            @JsonInclude(JsonInclude.Include.ALWAYS) String replayedJobId) {

        static Item of(DeadLetterRow row) {
            DeadLetter d = row.letter();
            return new Item(
                    d.id(),
                    d.jobId(),
                    d.stage(),
                    d.unit(),
                    d.attempts(),
                    d.errorClass(),
                    d.message(),
                    Instant.ofEpochMilli(d.atMs()).toString(),
                    row.replayedJobId());
        }
    }

    private final DeadLetterRepository deadLetters;

    ListDeadLettersHandler(DeadLetterRepository deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public Reply handle(Request request) {
        int limit = (int) QueryParams.longParam(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String rawJobId = request.query("jobId");
        String jobId = rawJobId == null ? null : JobIds.parse(rawJobId, "jobId", "jobId");
        try {
            return Reply.json(
                    200, new Page(deadLetters.list(jobId, limit).stream().map(Item::of).toList()));
        } catch (SQLException e) {
            throw Databases.unavailable(e);
        }
    }
}
