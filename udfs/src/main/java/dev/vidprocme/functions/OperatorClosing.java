package dev.vidprocme.functions;

/**
 * Thrown inside an attempt when its operator is closing under it: the failure is not the unit's, so
 * the attempt completes nothing and the unit is replayed from the checkpoint.
 */
final class OperatorClosing extends Exception {
    OperatorClosing() {
        super(null, null, false, false);
    }

    /**
     * Throws when {@code closed}: a failure seen while closing is the shutdown's, not the unit's.
     */
    static void check(boolean closed) throws OperatorClosing {
        if (closed) {
            throw new OperatorClosing();
        }
    }
}
