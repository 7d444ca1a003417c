package dev.vidprocme.io.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * A blob store in a local folder. Writes go to a temporary file beside the target and are renamed
 * into place, so readers and replays never see half an object.
 */
public final class LocalBlobStore implements BlobStore {
    private static final int BUFFER = 64 * 1024;
    private final Path root;

    public LocalBlobStore(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        Path target = resolve(key);
        Path tmp = tempBeside(target);
        try {
            Files.write(tmp, data);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public long put(String key, InputStream in, long maxBytes) throws IOException {
        Path target = resolve(key);
        Path tmp = tempBeside(target);
        try {
            long total = 0;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new BlobTooLargeException(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            moveIntoPlace(tmp, target);
            return total;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public long size(String key) throws IOException {
        Path path = resolve(key);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(key);
        }
        return Files.size(path);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    @Override
    public Optional<Path> localPath(String key) {
        return Optional.of(resolve(key));
    }

    @Override
    public String describe(String key) {
        return resolve(key).toUri().toString();
    }

    private Path resolve(String key) {
        Path path = root.resolve(BlobKeys.check(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("blob key escapes the store: " + key);
        }
        return path;
    }

    private static Path tempBeside(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
