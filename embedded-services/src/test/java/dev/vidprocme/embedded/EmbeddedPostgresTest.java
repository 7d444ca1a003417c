package dev.vidprocme.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real PostgreSQL binaries through {@link EmbeddedPostgres}; as root, via the unprivileged
 * account.
 */
class EmbeddedPostgresTest {
    @TempDir Path tempDir;

    @Test
    void storesAndReadsBackRows() throws SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            createClipsWith(postgres, "intro");

            assertThat(clipNames(postgres)).containsExactly("intro");
        }
    }

    @Test
    void persistentDataDirectoryKeepsRowsAndPasswordForANewInstance() throws SQLException {
        Path dataDirectory = tempDir.resolve("pg");
        String password;
        try (EmbeddedPostgres first =
                EmbeddedPostgres.builder().dataDirectory(dataDirectory).start()) {
            createClipsWith(first, "kept");
            password = first.password();
        }

        try (EmbeddedPostgres second =
                EmbeddedPostgres.builder().dataDirectory(dataDirectory).start()) {
            assertThat(second.password()).isEqualTo(password);
            assertThat(clipNames(second)).containsExactly("kept");
        }
        assertThat(dataDirectory.resolve("PG_VERSION")).exists();
    }

    @Test
    void runsWhenTheDataDirectoryParentIsPrivate() throws Exception {
        Path privateParent = Files.createDirectory(tempDir.resolve("private"));
        Files.setPosixFilePermissions(privateParent, PosixFilePermissions.fromString("rwx------"));

        try (EmbeddedPostgres postgres =
                EmbeddedPostgres.builder()
                        .dataDirectory(privateParent.resolve("nested/pg"))
                        .start()) {
            createClipsWith(postgres, "private");

            assertThat(clipNames(postgres)).containsExactly("private");
        }
        assertThat(Files.getPosixFilePermissions(privateParent))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void restartKeepsDataAndPort() throws SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            createClipsWith(postgres, "survivor");
            int port = postgres.port();

            postgres.restart();

            assertThat(postgres.port()).isEqualTo(port);
            assertThat(clipNames(postgres)).containsExactly("survivor");
        }
    }

    @Test
    void stoppedServerRefusesConnectionsUntilRestarted() throws SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            createClipsWith(postgres, "back");

            postgres.stop();
            assertThatThrownBy(() -> connect(postgres).close()).isInstanceOf(SQLException.class);

            postgres.restart();
            assertThat(clipNames(postgres)).containsExactly("back");
        }
    }

    @Test
    void outageCutsOpenConnectionsAndRestartServesTheSameClusterOnTheSamePort()
            throws SQLException {
        try (EmbeddedPostgres postgres =
                EmbeddedPostgres.builder().dataDirectory(tempDir.resolve("pg")).start()) {
            createClipsWith(postgres, "before the outage");
            int port = postgres.port();
            Path dataDirectory = postgres.dataDirectory();

            try (Connection open = connect(postgres);
                    Statement statement = open.createStatement()) {
                postgres.stop();
                postgres.stop();
                assertThatThrownBy(() -> statement.execute("SELECT 1"))
                        .isInstanceOf(SQLException.class);
            }
            postgres.restart();

            assertThat(postgres.port()).isEqualTo(port);
            assertThat(postgres.dataDirectory()).isEqualTo(dataDirectory);
            assertThat(clipNames(postgres)).containsExactly("before the outage");
        }
    }

    @Test
    void refusesADataDirectoryAnotherServerIsUsing() {
        Path dataDirectory = tempDir.resolve("pg");
        try (EmbeddedPostgres first =
                EmbeddedPostgres.builder().dataDirectory(dataDirectory).start()) {
            assertThatThrownBy(
                            () -> EmbeddedPostgres.builder().dataDirectory(dataDirectory).start())
                    .hasMessageContaining("postmaster.pid");
        }
    }

    @Test
    void closeDeletesATemporaryClusterAndIsIdempotent() {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().database("other").start();
        Path dataDirectory = postgres.dataDirectory();
        assertThat(postgres.jdbcUrl()).endsWith("/other");

        postgres.close();

        assertThat(dataDirectory).doesNotExist();
        assertThatCode(postgres::close).doesNotThrowAnyException();
    }

    private static void createClipsWith(EmbeddedPostgres postgres, String name)
            throws SQLException {
        try (Connection connection = connect(postgres);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE clips (id serial PRIMARY KEY, name text NOT NULL)");
            statement.execute("INSERT INTO clips (name) VALUES ('" + name + "')");
        }
    }

    private static List<String> clipNames(EmbeddedPostgres postgres) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = connect(postgres);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM clips ORDER BY id")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static Connection connect(EmbeddedPostgres postgres) throws SQLException {
        return DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.user(), postgres.password());
    }
}
