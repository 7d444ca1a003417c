package dev.vidprocme.io.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A pooled connection to PostgreSQL, with the schema brought up to date by Flyway migrations. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens a pool of at most {@code maxPoolSize} connections; does not touch the schema. */
    public static Database connect(DbSettings settings, int maxPoolSize, String poolName) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(Math.min(1, maxPoolSize));
        config.setPoolName(poolName);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        // Fail fast is wrong for a pipeline that must ride out a database restart: let callers
        // retry.
        config.setInitializationFailTimeout(-1);
        return new Database(new HikariDataSource(config));
    }

    /** Applies pending migrations; safe to run from several processes at once (Flyway locks). */
    public static void migrate(DbSettings settings) {
        Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** True when a trivial query answers within {@code timeout}. */
    public boolean ping(Duration timeout) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
