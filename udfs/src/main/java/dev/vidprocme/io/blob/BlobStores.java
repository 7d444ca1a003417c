package dev.vidprocme.io.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Builds the configured blob store from its URI ({@code file:///path}; {@code gs://} arrives
 * later).
 */
public final class BlobStores {
    private BlobStores() {}

    public static BlobStore open(String uri) throws IOException {
        URI parsed = URI.create(uri);
        if ("file".equals(parsed.getScheme())) {
            return new LocalBlobStore(Path.of(parsed));
        }
        throw new IllegalArgumentException(
                "unsupported blob store URI '" + uri + "': use file:///absolute/folder");
    }
}
