package dev.vidprocme.io.blob;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Object storage for uploads, frames and outputs. Keys are deterministic ({@code
 * frames/{jobId}/{index}.jpg}) and every write replaces the whole object atomically, so a replay
 * after a failure rewrites the same objects instead of adding new ones.
 */
public interface BlobStore extends AutoCloseable {

    /** Writes {@code data} under {@code key}, replacing any previous object. */
    void put(String key, byte[] data) throws IOException;

    /**
     * Streams {@code in} to {@code key} without holding it in memory.
     *
     * @return the number of bytes written
     * @throws BlobTooLargeException when more than {@code maxBytes} arrive; nothing is stored then
     */
    long put(String key, InputStream in, long maxBytes) throws IOException;

    /** Opens an object for reading; throws {@link java.nio.file.NoSuchFileException} if absent. */
    InputStream open(String key) throws IOException;

    boolean exists(String key) throws IOException;

    /** Size in bytes; throws {@link java.nio.file.NoSuchFileException} if absent. */
    long size(String key) throws IOException;

    void delete(String key) throws IOException;

    /**
     * A local file holding the object, when the store is a local folder; FFmpeg reads it directly.
     */
    Optional<Path> localPath(String key);

    /** Where the object lives, for logs and operators ({@code file:///...}, {@code gs://...}). */
    String describe(String key);

    /**
     * A URL a client can fetch the object from directly for {@code lifetime}, when the store can
     * sign one (GCS: a V4 signed URL); empty when the API must serve the object itself.
     *
     * @throws IOException when the store should sign but cannot (e.g. credentials that cannot sign)
     */
    default Optional<URI> signedUrl(String key, Duration lifetime) throws IOException {
        BlobKeys.check(key);
        return Optional.empty();
    }

    @Override
    default void close() throws IOException {}
}
