package dev.vidprocme.api;

/**
 * The one error shape every failing response carries: {@code {"error": {"code", "message",
 * "field"?}}}.
 */
public record ErrorBody(Detail error) {

    /** What went wrong; {@code field} is omitted from JSON when null. */
    public record Detail(String code, String message, String field) {}

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(new Detail(code, message, null));
    }

    public static ErrorBody of(ApiException e) {
        return new ErrorBody(new Detail(e.code(), e.getMessage(), e.field()));
    }
}
