package dev.vidprocme.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /healthz} (the process answers) and {@code /readyz} (its dependencies answer too). */
final class HealthHandlers {
    /** Body of both probes; {@code error} only when not ready. */
    record Status(String status, Map<String, String> checks, ErrorBody.Detail error) {}

    private final ReadinessProbe probe;

    HealthHandlers(ReadinessProbe probe) {
        this.probe = probe;
    }

    Reply healthz(Request request) {
        return Reply.json(200, new Status("ok", null, null));
    }

    Reply readyz(Request request) {
        ReadinessProbe.Result r = probe.check();
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("kafka", r.kafkaProblem() == null ? "ok" : r.kafkaProblem());
        checks.put("postgres", r.postgresProblem() == null ? "ok" : r.postgresProblem());
        if (r.ready()) {
            return Reply.json(200, new Status("ok", checks, null));
        }
        List<String> failed = new ArrayList<>();
        if (r.kafkaProblem() != null) {
            failed.add("kafka");
        }
        if (r.postgresProblem() != null) {
            failed.add("postgres");
        }
        return Reply.json(
                503,
                new Status(
                        "unavailable",
                        checks,
                        new ErrorBody.Detail(
                                "unavailable", "not ready: " + String.join(", ", failed), null)));
    }
}
