package dev.vidprocme.io.db;

import java.io.Serializable;

/**
 * How to reach PostgreSQL; the password comes from the environment or a secret store, never a job
 * spec.
 */
public record DbSettings(String jdbcUrl, String user, String password) implements Serializable {
    @Override
    public String toString() {
        return "DbSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
    }
}
