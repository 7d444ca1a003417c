package dev.vidprocme.io.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Builds the configured blob store from its URI: {@code file:///path} (the default, a local folder)
 * or {@code gs://bucket/prefix} (Google Cloud Storage, credentials from the environment).
 */
public final class BlobStores {
    private BlobStores() {}

    public static BlobStore open(String uri) throws IOException {
        URI parsed = URI.create(uri);
        if ("file".equals(parsed.getScheme())) {
            return new LocalBlobStore(Path.of(parsed));
        }
        if ("gs".equals(parsed.getScheme())) {
            return GcsBlobStore.open(parsed);
        }
        throw new IllegalArgumentException(
                "unsupported blob store URI '"
                        + uri
                        + "': use file:///absolute/folder or gs://bucket/prefix");
    }
}
