package dev.vidprocme.api;

/** Who may call a route. */
public enum Access {
    /** Anyone: health probes and the API description. */
    OPEN,
    /** Callers with the bearer token. */
    BEARER,
    /**
     * Callers with the bearer token, or a valid URL signature the handler checks (for {@code <img
     * src>}).
     */
    BEARER_OR_SIGNED
}
