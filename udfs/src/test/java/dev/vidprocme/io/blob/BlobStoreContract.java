package dev.vidprocme.io.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link BlobStore} promises, run against each implementation by a short subclass:
 * whole-object replacement, streamed writes with a size limit that leaves nothing behind, and keys
 * that cannot escape the store.
 */
abstract class BlobStoreContract {
    protected BlobStore store;

    /** A fresh, empty store. */
    protected abstract BlobStore newStore() throws IOException;

    /**
     * Every object the store's backend holds, temporary ones included, as keys relative to the
     * store; used to prove that failed writes leave nothing behind.
     */
    protected abstract Set<String> everythingStored() throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
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
    void putReplacesThePreviousObjectAndLeavesNoTemporaryObjects() throws IOException {
        String key = BlobKeys.frame("job1", 0);
        store.put(key, "first version, longer".getBytes(UTF_8));

        store.put(key, "second".getBytes(UTF_8));

        assertThat(read(key)).isEqualTo("second");
        assertThat(everythingStored()).containsExactly(key);
    }

    @Test
    void streamedPutWritesAndCountsEveryByte() throws IOException {
        String key = BlobKeys.upload("job2");
        // Several upload chunks and a ragged end, so chunk boundaries are crossed.
        byte[] data = new byte[3 * 256 * 1024 + 12_345];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + i / 7);
        }

        long written = store.put(key, new ByteArrayInputStream(data), data.length);

        assertThat(written).isEqualTo(data.length);
        assertThat(store.size(key)).isEqualTo(data.length);
        try (InputStream in = store.open(key)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(everythingStored()).containsExactly(key);
    }

    @Test
    void streamedPutReplacesAnEarlierUpload() throws IOException {
        String key = BlobKeys.upload("job2");
        store.put(key, new ByteArrayInputStream(new byte[1000]), 1000);

        store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}), 1000);

        assertThat(store.size(key)).isEqualTo(3);
        assertThat(everythingStored()).containsExactly(key);
    }

    @Test
    void streamedPutOverTheLimitThrowsAndStoresNothing() throws IOException {
        String key = BlobKeys.upload("job3");

        assertThatThrownBy(
                        () -> store.put(key, new ByteArrayInputStream(new byte[600_001]), 600_000))
                .isInstanceOf(BlobTooLargeException.class)
                .hasMessageContaining("600000")
                .satisfies(e -> assertThat(((BlobTooLargeException) e).limit()).isEqualTo(600_000));

        assertThat(store.exists(key)).isFalse();
        assertThat(everythingStored()).isEmpty();
    }

    @Test
    void streamedPutOverTheLimitKeepsThePreviousObject() throws IOException {
        String key = BlobKeys.upload("job3");
        store.put(key, "old".getBytes(UTF_8));

        assertThatThrownBy(() -> store.put(key, new ByteArrayInputStream(new byte[11]), 10))
                .isInstanceOf(BlobTooLargeException.class);

        assertThat(read(key)).isEqualTo("old");
        assertThat(everythingStored()).containsExactly(key);
    }

    @Test
    void streamedPutExactlyAtTheLimitIsAccepted() throws IOException {
        assertThat(store.put("uploads/j/source", new ByteArrayInputStream(new byte[10]), 10))
                .isEqualTo(10);
        assertThat(store.size("uploads/j/source")).isEqualTo(10);
    }

    @Test
    void streamedPutThatFailsMidwayLeavesNothing() throws IOException {
        InputStream failing =
                new InputStream() {
                    private int left = 300_000;

                    @Override
                    public int read() throws IOException {
                        if (left == 0) {
                            throw new IOException("client went away");
                        }
                        left--;
                        return 'x';
                    }
                };

        assertThatThrownBy(() -> store.put("uploads/j/source", failing, 1_000_000))
                .isInstanceOf(IOException.class)
                .hasMessage("client went away");

        assertThat(store.exists("uploads/j/source")).isFalse();
    }

    @Test
    void describeNamesTheObject() {
        assertThat(store.describe(BlobKeys.frame("job1", 3))).endsWith("/frames/job1/3.jpg");
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
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.signedUrl(key, java.time.Duration.ofMinutes(5)));
    }

    private String read(String key) throws IOException {
        try (InputStream in = store.open(key)) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }
}
