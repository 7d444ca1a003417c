package dev.vidprocme.api;

/**
 * The handlers behind the routes, by name, so {@link ApiRoutes} can wire them without mixing them
 * up.
 */
public record Endpoints(
        Handler submitJob,
        Handler getJob,
        Handler listFrames,
        Handler frameImage,
        Handler cancelJob,
        Handler queue,
        Handler listDeadLetters,
        Handler replayDeadLetter,
        Handler healthz,
        Handler readyz,
        Handler openApi,
        Handler listOutputs,
        Handler outputFile,
        Handler listScenes,
        Handler search,
        Handler frameAnalyses) {}
