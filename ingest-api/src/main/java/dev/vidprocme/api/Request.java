package dev.vidprocme.api;

import com.sun.net.httpserver.HttpExchange;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One incoming request as handlers see it: method, path parameters, query, headers and body. */
public final class Request {
    private final HttpExchange exchange;
    private final String path;
    private Map<String, String> pathParams = Map.of();
    private Map<String, String> query;
    private boolean bearerAuthenticated;
    private String jobId;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        String raw = exchange.getRequestURI().getRawPath();
        this.path = raw == null || raw.isEmpty() ? "/" : raw;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    /**
     * The raw (still percent-encoded) path; routes match on it so encoded slashes cannot split
     * segments.
     */
    public String path() {
        return path;
    }

    /** A path parameter of the matched route, percent-decoded. */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return value;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = Map.copyOf(params);
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        if (query == null) {
            query = QueryString.parse(exchange.getRequestURI().getRawQuery());
        }
        return query.get(name);
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** Every value of a header, in order; empty when absent. */
    public List<String> headers(String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    /** The media type without parameters, lower case, or "" when absent. */
    public String mediaType() {
        String type = header("Content-Type");
        if (type == null) {
            return "";
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** Declared body length, or -1 when absent (chunked) or unparsable. */
    public long contentLength() {
        String value = header("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public InputStream body() {
        return exchange.getRequestBody();
    }

    /** Whether the request carried the right bearer token (set before the handler runs). */
    public boolean bearerAuthenticated() {
        return bearerAuthenticated;
    }

    void bearerAuthenticated(boolean value) {
        this.bearerAuthenticated = value;
    }

    /** The job the request concerns, once known; error logs carry it. */
    public String jobId() {
        return jobId;
    }

    public void jobId(String id) {
        this.jobId = id;
    }
}
