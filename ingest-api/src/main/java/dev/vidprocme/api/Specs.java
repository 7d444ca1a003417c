package dev.vidprocme.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.JobSpecParser;
import dev.vidprocme.spec.Json;
import dev.vidprocme.spec.SpecException;
import java.io.UncheckedIOException;

/**
 * Parses a job spec from a request: broken JSON is a 400, a well-formed but unacceptable spec a
 * 422.
 */
final class Specs {
    private Specs() {}

    /** A blank or null document is the default spec. */
    static JobSpec parse(String json) {
        if (json != null && !json.isBlank()) {
            try {
                // Syntax first, so "not JSON at all" and "JSON we do not accept" get different
                // statuses.
                Json.mapper().readTree(json);
            } catch (JsonProcessingException e) {
                throw ApiException.badRequest(
                        "the job spec is not valid JSON: " + e.getOriginalMessage());
            }
        }
        try {
            return JobSpecParser.parse(json);
        } catch (SpecException e) {
            throw invalid(e.field(), e.getMessage());
        }
    }

    /**
     * The spec as stored and as hashed for idempotency: the record's fixed member order with
     * defaults filled in, so equal specs give equal text however the client wrote them.
     */
    static String normalisedJson(JobSpec spec) {
        try {
            return Json.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiException invalid(String field, String message) {
        return new ApiException(422, "invalid_spec", message, field, null);
    }
}
