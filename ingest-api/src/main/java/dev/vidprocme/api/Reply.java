package dev.vidprocme.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response as a value: status, headers and a body that knows its length and how to write itself.
 * Handlers return one and the dispatcher sends it, so every response goes through one code path.
 */
public final class Reply {
    /** Where a body's bytes come from; opened only once the headers are on their way. */
    @FunctionalInterface
    public interface BodySource {
        InputStream open() throws IOException;
    }

    private final int status;
    private final Map<String, String> headers;
    private final long length;
    private final byte[] bytes;
    private final BodySource source;

    private Reply(
            int status, Map<String, String> headers, long length, byte[] bytes, BodySource source) {
        this.status = status;
        this.headers = headers;
        this.length = length;
        this.bytes = bytes;
        this.source = source;
    }

    /** {@code value} serialised with the wire mapper. */
    public static Reply json(int status, Object value) {
        try {
            return bytes(status, "application/json", Json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Reply error(ApiException e) {
        return json(e.status(), ErrorBody.of(e));
    }

    public static Reply bytes(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new Reply(status, headers, body.length, body, null);
    }

    /**
     * A body streamed from {@code source}, {@code length} bytes long, never held in memory whole.
     */
    public static Reply stream(int status, String contentType, long length, BodySource source) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        return new Reply(status, headers, length, null, source);
    }

    public Reply header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Reply(status, copy, length, bytes, source);
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** Writes status, headers and body; the caller closes the exchange. */
    void send(HttpExchange exchange) throws IOException {
        send(exchange, null);
    }

    /**
     * Writes status, headers and body, then runs {@code afterBody} (if any) while the response
     * stream is still open: the reply is on the wire by then, so a client still sending can read it
     * and stop.
     */
    void send(HttpExchange exchange, Runnable afterBody) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        // Browsers must not guess another type for JSON or frames we serve.
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        if (length == 0 || head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (bytes != null) {
                out.write(bytes);
            } else {
                try (InputStream in = source.open()) {
                    long copied = in.transferTo(out);
                    if (copied != length) {
                        // The object changed under us; the client will notice the short body.
                        throw new IOException("body was " + copied + " bytes, announced " + length);
                    }
                }
            }
            if (afterBody != null) {
                out.flush();
                afterBody.run();
            }
        }
    }
}
