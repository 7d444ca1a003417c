package dev.vidprocme.io;

/**
 * An input URI this deployment refuses to read: wrong scheme, outside the allowed roots, or
 * malformed.
 */
public final class InputNotAllowedException extends Exception {
    public InputNotAllowedException(String message) {
        super(message);
    }
}
