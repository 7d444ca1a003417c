package dev.vidprocme.api;

/**
 * The route table of API v1. Paths and methods are a contract (clients and acceptance scripts use
 * them) and {@code openapi.yaml} must describe exactly these; a test checks both directions.
 */
public final class ApiRoutes {
    private ApiRoutes() {}

    public static Router router(Endpoints e) {
        return new Router()
                .add("POST", "/v1/jobs", Access.BEARER, e.submitJob())
                .add("GET", "/v1/jobs/{id}", Access.BEARER, e.getJob())
                .add("DELETE", "/v1/jobs/{id}", Access.BEARER, e.cancelJob())
                .add("GET", "/v1/jobs/{id}/frames", Access.BEARER, e.listFrames())
                .add(
                        "GET",
                        "/v1/jobs/{id}/frames/{index}.jpg",
                        Access.BEARER_OR_SIGNED,
                        e.frameImage())
                .add("GET", "/v1/queue", Access.BEARER, e.queue())
                .add("GET", "/v1/dlq", Access.BEARER, e.listDeadLetters())
                .add("POST", "/v1/dlq/{id}/replay", Access.BEARER, e.replayDeadLetter())
                .add("GET", "/healthz", Access.OPEN, e.healthz())
                .add("GET", "/readyz", Access.OPEN, e.readyz())
                .add("GET", "/openapi.yaml", Access.OPEN, e.openApi())
                .add("GET", "/v1/jobs/{id}/outputs", Access.BEARER, e.listOutputs())
                .add("GET", "/v1/jobs/{id}/outputs/{name}", Access.BEARER_OR_SIGNED, e.outputFile())
                .add("GET", "/v1/jobs/{id}/scenes", Access.BEARER, e.listScenes())
                .add("GET", "/v1/search", Access.BEARER, e.search())
                .add(
                        "GET",
                        "/v1/jobs/{id}/frames/{index}/analyses",
                        Access.BEARER,
                        e.frameAnalyses());
    }
}
