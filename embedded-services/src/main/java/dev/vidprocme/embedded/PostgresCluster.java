package dev.vidprocme.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL data directory initialised for a {@code postgres} superuser with a random password,
 * kept beside it as {@code <dataDir>.password}; a temporary one lives in a scratch directory.
 */
final class PostgresCluster {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    static final String SUPERUSER = "postgres";

    private final Path binaries;
    private final Path dataDirectory;
    private final Path scratch;
    private final ServerAccount account;
    private final String password;

    private PostgresCluster(
            Path binaries,
            Path dataDirectory,
            Path scratch,
            ServerAccount account,
            String password) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.scratch = scratch;
        this.account = account;
        this.password = password;
    }

    /**
     * Opens the cluster in {@code dataDirectory}, initialising it if needed; {@code null} means a
     * temporary one.
     */
    static PostgresCluster open(Path dataDirectory) throws IOException, InterruptedException {
        Path binaries = PostgresBinaries.install();
        ServerAccount owner = ServerAccount.forThisJvm();
        Path scratch = null;
        Path data;
        if (dataDirectory == null) {
            // Searchable but not listable, so the server account can reach its data directory
            // inside.
            scratch =
                    Files.createTempDirectory(
                            "vidproc-pg-",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwx--x--x")));
            data = scratch.resolve("data");
        } else {
            data = dataDirectory.toAbsolutePath().normalize();
        }
        try {
            Files.createDirectories(data);
            owner.own(data);
            ServerAccount account = owner.reaching(data, binaries);
            String password = readOrCreatePassword(data, account);
            PostgresCluster cluster =
                    new PostgresCluster(binaries, data, scratch, account, password);
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                cluster.initdb();
            } else {
                LOG.info("Reusing PostgreSQL cluster in {}", data);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (scratch != null) {
                Directories.deleteRecursively(scratch);
            }
            throw e;
        }
    }

    /**
     * The password outlives the JVM so that a persistent cluster reopens; it is written before
     * initdb so that no cluster ever exists whose password was lost.
     */
    private static String readOrCreatePassword(Path data, ServerAccount account)
            throws IOException {
        Path file = sibling(data, ".password");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        if (Files.exists(data.resolve("PG_VERSION"))) {
            throw new IllegalStateException(
                    "The cluster in " + data + " has no password file " + file);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path staging =
                Files.createTempFile(
                        file.getParent(),
                        file.getFileName().toString(),
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(staging, password, StandardCharsets.UTF_8);
        // initdb reads it as the server account.
        account.own(staging);
        Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    private void initdb() throws IOException, InterruptedException {
        LOG.info("Initialising PostgreSQL cluster in {}", dataDirectory);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binaries.resolve("bin/initdb").toString(),
                                "--pgdata=" + dataDirectory,
                                "--username=" + SUPERUSER,
                                "--pwfile=" + sibling(dataDirectory, ".password"),
                                "--auth=scram-sha-256",
                                "--encoding=UTF8",
                                "--locale=C",
                                "--no-instructions"));
        if (!persistent()) {
            command.add("--no-sync");
        }
        account.run(command);
    }

    /**
     * The postgres command line for this cluster; TCP on 127.0.0.1 only, so no socket directory is
     * needed.
     */
    List<String> serverCommand(int port) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binaries.resolve("bin/postgres").toString(),
                                "-D",
                                dataDirectory.toString(),
                                "-p",
                                Integer.toString(port),
                                "-c",
                                "listen_addresses=127.0.0.1",
                                "-c",
                                "unix_socket_directories="));
        if (!persistent()) {
            // Throw-away data gains nothing from surviving an OS crash.
            command.addAll(List.of("-c", "fsync=off"));
        }
        return command;
    }

    /**
     * Runs a pg_ctl subcommand as the server account, which is the only one allowed to signal the
     * server.
     */
    void pgCtl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binaries.resolve("bin/pg_ctl").toString()));
        command.addAll(List.of(arguments));
        account.run(command);
    }

    ServerAccount account() {
        return account;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    Path logFile() {
        return sibling(dataDirectory, ".log");
    }

    String password() {
        return password;
    }

    boolean persistent() {
        return scratch == null;
    }

    /** Deletes a temporary cluster; a persistent one is left alone. */
    void deleteIfTemporary() throws IOException {
        if (scratch != null) {
            Directories.deleteRecursively(scratch);
        }
    }

    private static Path sibling(Path data, String suffix) {
        return data.resolveSibling(data.getFileName() + suffix);
    }
}
