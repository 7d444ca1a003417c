package dev.vidprocme.api;

/**
 * A request that ends with an error response: the HTTP status, a stable machine-readable code and a
 * message safe to show the client. Unchecked so handlers can throw it from anywhere in their work.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    public ApiException(int status, String code, String message, String field, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The request field or parameter at fault (dotted for spec fields), or null. */
    public String field() {
        return field;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException invalidParameter(String name, String message) {
        return new ApiException(400, "invalid_parameter", message, name, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** 409: the resource is in a state that forbids the request; {@code code} says which. */
    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public static ApiException unavailable(String message, Throwable cause) {
        return new ApiException(503, "unavailable", message, null, cause);
    }
}
