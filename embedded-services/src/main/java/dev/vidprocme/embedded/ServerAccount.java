package dev.vidprocme.embedded;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system account PostgreSQL runs as: the JVM's own, or {@code nobody} when the JVM is
 * root, because initdb and postgres refuse to run as root.
 */
final class ServerAccount {
    private static final Logger LOG = LoggerFactory.getLogger(ServerAccount.class);
    private static final int NOBODY = 65534;
    private static final int CAP_DAC_OVERRIDE = 1;
    private static final int CAP_DAC_READ_SEARCH = 2;

    private final boolean switchesUser;
    private final Optional<String> capability;

    private ServerAccount(boolean switchesUser, Optional<String> capability) {
        this.switchesUser = switchesUser;
        this.capability = capability;
    }

    static ServerAccount forThisJvm() {
        return new ServerAccount(new UnixSystem().getUid() == 0, Optional.empty());
    }

    /** Hands a tree to this account, so the server may own its data directory as it insists on. */
    void own(Path root) throws IOException {
        if (!switchesUser) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                Files.setAttribute(path, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /**
     * This account, or one that may also traverse directories it has no permission on: a data
     * directory under root's home or a 0700 test directory is unreachable for {@code nobody}, and
     * loosening the user's directories is not ours to do.
     */
    ServerAccount reaching(Path... paths) throws IOException, InterruptedException {
        if (!switchesUser || canReach(paths)) {
            return this;
        }
        String capability =
                traversalCapability()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "PostgreSQL runs as uid "
                                                        + NOBODY
                                                        + " because the JVM is root, but that uid"
                                                        + " cannot reach "
                                                        + List.of(paths)
                                                        + " and the JVM holds neither"
                                                        + " CAP_DAC_READ_SEARCH nor"
                                                        + " CAP_DAC_OVERRIDE; use a data directory"
                                                        + " whose parents are world-searchable"));
        LOG.info(
                "Granting {} to PostgreSQL so that uid {} can reach {}",
                capability,
                NOBODY,
                List.of(paths));
        return new ServerAccount(true, Optional.of(capability));
    }

    /**
     * A process builder for a command run as this account, from a directory any account may enter.
     */
    ProcessBuilder processBuilder(List<String> command) {
        List<String> full = new ArrayList<>();
        if (switchesUser) {
            full.addAll(
                    List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
            capability.ifPresent(
                    cap -> full.addAll(List.of("--inh-caps=+" + cap, "--ambient-caps=+" + cap)));
            full.add("--");
        }
        full.addAll(command);
        ProcessBuilder builder =
                new ProcessBuilder(full).directory(new File("/")).redirectErrorStream(true);
        // The host's locale may not exist where the bundled binaries look for it; C always does.
        builder.environment().put("LC_ALL", "C");
        return builder;
    }

    /**
     * Runs a short command to completion and returns its combined output; fails on a non-zero exit.
     */
    String run(List<String> command) throws IOException, InterruptedException {
        Process process = processBuilder(command).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exitCode = process.waitFor();
        if (exitCode != 0) {
            throw new IOException(command.get(0) + " exited with " + exitCode + ":\n" + output);
        }
        return output;
    }

    private boolean canReach(Path... paths) throws IOException, InterruptedException {
        List<String> test = new ArrayList<>(List.of("test", "-x", paths[0].toString()));
        for (int i = 1; i < paths.length; i++) {
            test.addAll(List.of("-a", "-x", paths[i].toString()));
        }
        return processBuilder(test).start().waitFor() == 0;
    }

    private static Optional<String> traversalCapability() throws IOException {
        long permitted;
        try (Stream<String> status = Files.lines(Path.of("/proc/self/status"))) {
            permitted =
                    status.filter(line -> line.startsWith("CapPrm:"))
                            .mapToLong(
                                    line ->
                                            Long.parseUnsignedLong(
                                                    line.substring("CapPrm:".length()).trim(), 16))
                            .findFirst()
                            .orElse(0L);
        }
        // DAC_READ_SEARCH only lets the server read and traverse; DAC_OVERRIDE is the fallback for
        // containers (Docker's defaults) that drop it.
        if ((permitted & 1L << CAP_DAC_READ_SEARCH) != 0) {
            return Optional.of("dac_read_search");
        }
        if ((permitted & 1L << CAP_DAC_OVERRIDE) != 0) {
            return Optional.of("dac_override");
        }
        return Optional.empty();
    }
}
