package dev.vidprocme.io.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalBlobStoreTest {
    @TempDir Path dir;
    private LocalBlobStore store;

    @BeforeEach
    void open() throws IOException {
        store = new LocalBlobStore(dir.resolve("blobs"));
    }

    @Test
    void putOpenSizeExistsDeleteRoundTrip() throws IOException {
        String key = BlobKeys.frame("job1", 3);
        byte[] data = "jpeg bytes".getBytes(UTF_8);

        assertThat(store.exists(key)).isFalse();
        store.put(key, data);

        assertThat(store.exists(key)).isTrue();
        assertThat(store.size(key)).isEqualTo(data.length);
        try (InputStream in = store.open(key)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(store.localPath(key)).contains(store.root().resolve("frames/job1/3.jpg"));
        assertThat(store.describe(key)).startsWith("file:///").endsWith("/blobs/frames/job1/3.jpg");

        store.delete(key);

        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.size(key)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.open(key)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deletingAnAbsentObjectIsANoOp() throws IOException {
        store.delete("frames/none/0.jpg");

        assertThat(store.exists("frames/none/0.jpg")).isFalse();
    }

    @Test
    void putReplacesThePreviousObjectAndLeavesNoTemporaryFiles() throws IOException {
        String key = BlobKeys.frame("job1", 0);
        store.put(key, "first version, longer".getBytes(UTF_8));

        store.put(key, "second".getBytes(UTF_8));

        try (InputStream in = store.open(key)) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("second");
        }
        assertThat(filesUnder(store.root())).containsExactly(store.root().resolve(key));
    }

    @Test
    void streamedPutWritesAndCountsEveryByte() throws IOException {
        String key = BlobKeys.upload("job2");
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }

        long written = store.put(key, new ByteArrayInputStream(data), data.length);

        assertThat(written).isEqualTo(data.length);
        assertThat(Files.readAllBytes(store.localPath(key).orElseThrow())).isEqualTo(data);
        assertThat(filesUnder(store.root())).containsExactly(store.root().resolve(key));
    }

    @Test
    void streamedPutReplacesAnEarlierUpload() throws IOException {
        String key = BlobKeys.upload("job2");
        store.put(key, new ByteArrayInputStream(new byte[1000]), 1000);

        store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}), 1000);

        assertThat(store.size(key)).isEqualTo(3);
        assertThat(filesUnder(store.root())).containsExactly(store.root().resolve(key));
    }

    @Test
    void streamedPutOverTheLimitThrowsAndStoresNothing() throws IOException {
        String key = BlobKeys.upload("job3");

        assertThatThrownBy(
                        () -> store.put(key, new ByteArrayInputStream(new byte[100_001]), 100_000))
                .isInstanceOf(BlobTooLargeException.class)
                .hasMessageContaining("100000")
                .satisfies(e -> assertThat(((BlobTooLargeException) e).limit()).isEqualTo(100_000));

        assertThat(store.exists(key)).isFalse();
        assertThat(filesUnder(store.root())).isEmpty();
    }

    @Test
    void streamedPutOverTheLimitKeepsThePreviousObject() throws IOException {
        String key = BlobKeys.upload("job3");
        store.put(key, "old".getBytes(UTF_8));

        assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[11]), 10))
                .isInstanceOf(BlobTooLargeException.class);

        try (InputStream in = store.open(key)) {
            assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("old");
        }
        assertThat(filesUnder(store.root())).containsExactly(store.root().resolve(key));
    }

    @Test
    void streamedPutExactlyAtTheLimitIsAccepted() throws IOException {
        assertThat(store.put("uploads/j/source", new ByteArrayInputStream(new byte[10]), 10))
                .isEqualTo(10);
    }

    @Test
    void streamedPutThatFailsMidwayLeavesNoTemporaryFile() throws IOException {
        InputStream failing =
                new InputStream() {
                    private int left = 100;

                    @Override
                    public int read() throws IOException {
                        if (left == 0) {
                            throw new IOException("client went away");
                        }
                        left--;
                        return 'x';
                    }
                };

        assertThatThrownBy(() -> store.put("uploads/j/source", failing, 1_000))
                .isInstanceOf(IOException.class)
                .hasMessage("client went away");

        assertThat(filesUnder(store.root())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../outside",
                "/etc/passwd",
                "a//b",
                "a\\..\\b",
                "a b",
                "%2e%2e/x",
                "a/./b",
                ""
            })
    void everyOperationRefusesIllegalKeys(String key) {
        assertThatIllegalArgumentException().isThrownBy(() -> store.put(key, new byte[1]));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[1]), 10));
        assertThatIllegalArgumentException().isThrownBy(() -> store.open(key));
        assertThatIllegalArgumentException().isThrownBy(() -> store.exists(key));
        assertThatIllegalArgumentException().isThrownBy(() -> store.size(key));
        assertThatIllegalArgumentException().isThrownBy(() -> store.delete(key));
        assertThatIllegalArgumentException().isThrownBy(() -> store.localPath(key));
        assertThat(dir.resolve("outside")).doesNotExist();
    }

    @Test
    void opensFromAFileUri() throws IOException {
        try (BlobStore opened = BlobStores.open(dir.resolve("other").toUri().toString())) {
            opened.put("a/b", new byte[] {42});
            assertThat(Files.readAllBytes(dir.resolve("other/a/b"))).containsExactly(42);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gs://bucket/prefix", "s3://bucket", "http://example.com/blobs"})
    void refusesBlobStoreUrisItCannotServe(String uri) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BlobStores.open(uri))
                .withMessageContaining(uri);
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
