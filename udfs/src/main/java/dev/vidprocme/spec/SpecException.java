package dev.vidprocme.spec;

/**
 * A job spec that cannot be accepted; {@link #field()} names the offending field in dotted form.
 */
public final class SpecException extends Exception {
    private final String field;

    public SpecException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
