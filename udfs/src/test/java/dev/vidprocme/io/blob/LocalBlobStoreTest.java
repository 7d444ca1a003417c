package dev.vidprocme.io.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The blob store contract on a local folder, plus what only a folder offers. */
class LocalBlobStoreTest extends BlobStoreContract {
    @TempDir Path dir;

    @Override
    protected BlobStore newStore() throws IOException {
        return new LocalBlobStore(dir.resolve("blobs"));
    }

    @Override
    protected Set<String> everythingStored() throws IOException {
        Path root = ((LocalBlobStore) store).root();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void objectsAreFilesFfmpegCanReadDirectly() throws IOException {
        String key = BlobKeys.frame("job1", 3);
        store.put(key, new byte[] {1, 2});

        Path root = ((LocalBlobStore) store).root();
        assertThat(store.localPath(key)).contains(root.resolve("frames/job1/3.jpg"));
        assertThat(Files.readAllBytes(store.localPath(key).orElseThrow())).containsExactly(1, 2);
        assertThat(store.describe(key)).startsWith("file:///").endsWith("/blobs/frames/job1/3.jpg");
    }

    @Test
    void signsNoUrlsSoTheApiServesObjects() throws IOException {
        assertThat(store.signedUrl(BlobKeys.frame("job1", 3), Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void opensFromAFileUri() throws IOException {
        try (BlobStore opened = BlobStores.open(dir.resolve("other").toUri().toString())) {
            opened.put("a/b", new byte[] {42});
            assertThat(Files.readAllBytes(dir.resolve("other/a/b"))).containsExactly(42);
        }
        assertThat(dir.resolve("outside")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://bucket", "http://example.com/blobs", "ftp://x/y"})
    void refusesBlobStoreUrisItCannotServe(String uri) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BlobStores.open(uri))
                .withMessageContaining(uri)
                .withMessageContaining("gs://bucket/prefix");
    }
}
