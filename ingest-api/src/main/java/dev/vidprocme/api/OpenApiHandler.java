package dev.vidprocme.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.yaml}: the hand-written API description shipped in the jar. */
final class OpenApiHandler implements Handler {
    static final String RESOURCE = "/openapi.yaml";
    private final byte[] document;

    OpenApiHandler() {
        this.document = load();
    }

    static byte[] load() {
        try (InputStream in = OpenApiHandler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Reply handle(Request request) {
        return Reply.bytes(200, "application/yaml", document);
    }
}
