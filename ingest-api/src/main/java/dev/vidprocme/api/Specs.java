package dev.vidprocme.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.spec.JobSpecParser;
import dev.vidprocme.spec.Json;
import dev.vidprocme.spec.SpecException;

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

    static ApiException invalid(String field, String message) {
        return new ApiException(422, "invalid_spec", message, field, null);
    }
}
