package dev.vidprocme.io.blob;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The blob store contract on GCS, against the vendor's in-memory {@code LocalStorageHelper}, plus
 * V4 URL signing with a service-account key made in the test.
 */
class GcsBlobStoreTest extends BlobStoreContract {
    private static final String BUCKET = "vidproc-test";
    private static final String PREFIX = "env/blue";
    private Storage storage;

    @Override
    protected BlobStore newStore() {
        storage = LocalStorageHelper.getOptions().getService();
        // The smallest legal chunk, so the contract's streamed writes span several chunks.
        return new GcsBlobStore(storage, BUCKET, PREFIX, GcsBlobStore.CHUNK_QUANTUM);
    }

    @Override
    protected Set<String> everythingStored() {
        Set<String> names = new HashSet<>();
        for (Blob b : storage.list(BUCKET).iterateAll()) {
            String name = b.getName();
            // Anything outside the prefix is kept whole, so a leak there fails the comparison.
            names.add(name.startsWith(PREFIX + "/") ? name.substring(PREFIX.length() + 1) : name);
        }
        return names;
    }

    @Test
    void objectsLiveUnderThePrefixWithATypeFromTheirExtension() throws IOException {
        store.put("outputs/job1/hls/master.m3u8", "#EXTM3U".getBytes(UTF_8));

        Blob blob = storage.get(BUCKET, PREFIX + "/outputs/job1/hls/master.m3u8");
        assertThat(blob).isNotNull();
        assertThat(blob.getContentType()).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(store.describe("outputs/job1/hls/master.m3u8"))
                .isEqualTo("gs://vidproc-test/env/blue/outputs/job1/hls/master.m3u8");
        assertThat(store.localPath("outputs/job1/hls/master.m3u8")).isEmpty();
    }

    @Test
    void parsesBucketAndPrefixFromTheUri() {
        assertThat(GcsBlobStore.Location.parse(URI.create("gs://my-bucket/a/b/")))
                .isEqualTo(new GcsBlobStore.Location("my-bucket", "a/b"));
        assertThat(GcsBlobStore.Location.parse(URI.create("gs://my-bucket")))
                .isEqualTo(new GcsBlobStore.Location("my-bucket", ""));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gs://UPPER/x",
                "gs://a/x",
                "gs:///x",
                "gs://bucket/../x",
                "gs://bucket/a b",
                "gs://bucket/x?y=1"
            })
    void refusesMalformedGcsUris(String uri) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BlobStores.open(uri))
                .withMessageContaining("gs://");
    }

    @Test
    void refusesChunkSizesGcsWouldReject() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new GcsBlobStore(storage, BUCKET, "", 1000))
                .withMessageContaining("256 KiB");
    }

    @Test
    void withoutSigningCredentialsSigningFailsWithAReason() {
        assertThatThrownBy(() -> store.signedUrl("outputs/j/480p.mp4", Duration.ofMinutes(5)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot sign a URL for gs://vidproc-test/env/blue/outputs");
    }

    @Test
    void signedUrlIsAV4UrlThatVerifiesWithTheServiceAccountsPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        ServiceAccountCredentials credentials =
                ServiceAccountCredentials.newBuilder()
                        .setClientEmail("signer@vidproc-test.iam.gserviceaccount.com")
                        .setClientId("1234")
                        .setPrivateKey(keys.getPrivate())
                        .setPrivateKeyId("test-key")
                        .setProjectId("vidproc-test")
                        .build();
        Storage signing =
                LocalStorageHelper.getOptions().toBuilder()
                        .setCredentials(credentials)
                        .build()
                        .getService();
        GcsBlobStore gcs = new GcsBlobStore(signing, BUCKET, PREFIX, GcsBlobStore.CHUNK_QUANTUM);
        Instant before = Instant.now().minusSeconds(1);

        URI url = gcs.signedUrl("outputs/job1/hls/master.m3u8", Duration.ofMinutes(15)).get();

        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getRawPath())
                .isEqualTo("/vidproc-test/env/blue/outputs/job1/hls/master.m3u8");
        Map<String, String> q = query(url);
        assertThat(q)
                .containsEntry("X-Goog-Algorithm", "GOOG4-RSA-SHA256")
                .containsEntry("X-Goog-Expires", "900")
                .containsEntry("X-Goog-SignedHeaders", "host");
        assertThat(q.get("X-Goog-Credential"))
                .startsWith("signer%40vidproc-test.iam.gserviceaccount.com%2F")
                .endsWith("%2Fauto%2Fstorage%2Fgoog4_request");
        Instant signedAt =
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC)
                        .parse(q.get("X-Goog-Date"), Instant::from);
        assertThat(signedAt).isBetween(before, Instant.now().plusSeconds(1));

        assertThat(verifies(url, keys)).isTrue();
        URI tampered =
                URI.create(url.toString().replace("X-Goog-Expires=900", "X-Goog-Expires=9000"));
        assertThat(verifies(tampered, keys)).isFalse();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> gcs.signedUrl("outputs/j/a.mp4", Duration.ofDays(8)))
                .withMessageContaining("7 days");
    }

    /** Rebuilds the V4 canonical request and checks the RSA signature over it. */
    private static boolean verifies(URI url, KeyPair keys) throws GeneralSecurityException {
        Map<String, String> q = query(url);
        String canonicalQuery =
                q.entrySet().stream()
                        .filter(e -> !e.getKey().equals("X-Goog-Signature"))
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("&"));
        String canonicalRequest =
                String.join(
                        "\n",
                        "GET",
                        url.getRawPath(),
                        canonicalQuery,
                        "host:" + url.getHost(),
                        "",
                        "host",
                        "UNSIGNED-PAYLOAD");
        String credential = q.get("X-Goog-Credential").replace("%2F", "/");
        String scope = credential.substring(credential.indexOf('/') + 1);
        String stringToSign =
                String.join(
                        "\n",
                        "GOOG4-RSA-SHA256",
                        q.get("X-Goog-Date"),
                        scope,
                        HexFormat.of()
                                .formatHex(
                                        MessageDigest.getInstance("SHA-256")
                                                .digest(canonicalRequest.getBytes(UTF_8))));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(keys.getPublic());
        rsa.update(stringToSign.getBytes(UTF_8));
        return rsa.verify(HexFormat.of().parseHex(q.get("X-Goog-Signature")));
    }

    /** Raw (still encoded) query parameters in order. */
    private static Map<String, String> query(URI url) {
        Map<String, String> q = new LinkedHashMap<>();
        Arrays.stream(url.getRawQuery().split("&"))
                .forEach(
                        p ->
                                q.put(
                                        p.substring(0, p.indexOf('=')),
                                        p.substring(p.indexOf('=') + 1)));
        return q;
    }
}
