package dev.vidprocme.notify;

/**
 * A callback URL that must not be called: malformed, not http(s), or reaching an internal address
 * that is not allow-listed. Never retried; the message says which rule refused it.
 */
public final class CallbackRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public CallbackRefusedException(String message) {
        super(message);
    }
}
