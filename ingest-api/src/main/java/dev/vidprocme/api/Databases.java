package dev.vidprocme.api;

import java.sql.SQLException;

/** How database failures surface to clients: a retryable 503 without internals. */
final class Databases {
    private Databases() {}

    static ApiException unavailable(SQLException e) {
        return ApiException.unavailable("the job database is unavailable; try again later", e);
    }
}
