package dev.vidprocme.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.LocalBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputUrisTest {
    private static final String JOB = "6f1d8c3a-2b4e-4f5a-8c9d-0e1f2a3b4c5d";

    @TempDir Path dir;
    private Path root;
    private Path outside;
    private Path video;
    private List<Path> roots;

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(dir.resolve("allowed"));
        outside = Files.createDirectories(dir.resolve("private"));
        video =
                Files.writeString(
                        Files.createDirectories(root.resolve("in")).resolve("clip.mp4"), "video");
        Files.writeString(outside.resolve("secret.mp4"), "secret");
        roots = List.of(root);
    }

    @Test
    void acceptsAFileUnderAnAllowedRootInCanonicalForm() throws Exception {
        String canonical = video.toRealPath().toUri().toString();

        assertThat(InputUris.checkUserUri(video.toUri().toString(), roots)).isEqualTo(canonical);
        assertThat(InputUris.checkUserUri("file://" + root + "/in/./../in/clip.mp4", roots))
                .isEqualTo(canonical);
        assertThat(InputUris.checkUserUri("FILE://" + video, roots)).isEqualTo(canonical);
    }

    @Test
    void acceptsAFileUnderAnyOfSeveralRoots() throws Exception {
        assertThat(InputUris.checkUserUri(video.toUri().toString(), List.of(outside, root)))
                .isEqualTo(video.toRealPath().toUri().toString());
    }

    @Test
    void refusesAFileOutsideTheRoots() {
        assertRefused("file://" + outside.resolve("secret.mp4"), "outside the allowed input roots");
    }

    @Test
    void refusesDotDotTraversalOutOfTheRoot() {
        assertRefused(
                "file://" + root + "/../private/secret.mp4", "outside the allowed input roots");
        assertRefused(
                "file://" + root + "/in/../../private/secret.mp4",
                "outside the allowed input roots");
    }

    @Test
    void refusesARootPrefixThatIsNotTheRootFolder() throws IOException {
        Path sibling = Files.createDirectories(dir.resolve("allowed-not"));
        Files.writeString(sibling.resolve("x.mp4"), "x");

        assertRefused("file://" + sibling.resolve("x.mp4"), "outside the allowed input roots");
    }

    @Test
    void refusesASymlinkInsideTheRootThatPointsOutside() throws IOException {
        Path fileLink =
                Files.createSymbolicLink(root.resolve("link.mp4"), outside.resolve("secret.mp4"));
        Path dirLink = Files.createSymbolicLink(root.resolve("escape"), outside);

        assertRefused(fileLink.toUri().toString(), "outside the allowed input roots");
        assertRefused("file://" + dirLink + "/secret.mp4", "outside the allowed input roots");
    }

    @Test
    void acceptsASymlinkThatStaysInsideTheRoot() throws IOException, InputNotAllowedException {
        Path link = Files.createSymbolicLink(root.resolve("alias.mp4"), video);

        assertThat(InputUris.checkUserUri(link.toUri().toString(), roots))
                .isEqualTo(video.toRealPath().toUri().toString());
    }

    @Test
    void refusesADirectory() {
        assertRefused(root.resolve("in").toUri().toString(), "not a regular file");
        assertRefused(root.toUri().toString(), "not a regular file");
    }

    @Test
    void refusesAMissingFile() {
        assertRefused("file://" + root.resolve("gone.mp4"), "no such file");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "file://host/{}",
                "file://localhost/{}",
                "file:///{}?x=1",
                "file:///{}#t=10",
                "file://user@host/{}"
            })
    void refusesFileUrisWithHostQueryOrFragment(String template) {
        String uri = template.replace("/{}", video.toString());

        assertRefused(uri, "without host, query or fragment");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://example.com/a.mp4",
                "https://example.com/a.mp4",
                "ftp://example.com/a.mp4",
                "data:video/mp4;base64,AAAA",
                "jar:file:///x.jar!/a.mp4",
                "concat:/a.mp4",
                "rtmp://h/live"
            })
    void refusesOtherSchemesNamingTheScheme(String uri) {
        String scheme = uri.substring(0, uri.indexOf(':'));

        assertRefused(uri, "scheme '" + scheme + "' is not allowed");
    }

    @Test
    void refusesAPathWithoutScheme() {
        assertRefused(video.toString(), "scheme '(none)' is not allowed");
        assertRefused("clip.mp4", "scheme '(none)' is not allowed");
    }

    @Test
    void refusesGcsUrisSayingGcsIsNotConfigured() {
        assertRefused(
                "gs://bucket/video.mp4",
                "GCS blob store, which this deployment does not configure");
    }

    @Test
    void refusesEveryFileWhenNoRootIsConfigured() {
        assertThatThrownBy(() -> InputUris.checkUserUri(video.toUri().toString(), List.of()))
                .isInstanceOf(InputNotAllowedException.class)
                .hasMessageContaining("no allowed input roots");
    }

    @Test
    void refusesBlankMalformedAndOverlongUris() {
        assertRefused("", "1..4096");
        assertRefused("   ", "1..4096");
        assertRefused(null, "1..4096");
        assertRefused("file:///" + "a".repeat(4100), "1..4096");
        assertRefused("file:///a b.mp4", "not a valid URI");
    }

    @Test
    void resolvesAnUploadToItsLocalFile() throws Exception {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));
        store.put(BlobKeys.upload(JOB), new byte[] {1, 2, 3});

        Path path = InputUris.resolve(InputUris.forUpload(JOB), store, List.of());

        assertThat(InputUris.forUpload(JOB)).isEqualTo("blob:uploads/" + JOB + "/source");
        assertThat(path).isEqualTo(store.root().resolve("uploads/" + JOB + "/source"));
        assertThat(Files.readAllBytes(path)).containsExactly(1, 2, 3);
    }

    @Test
    void resolvingAnUploadThatIsGoneSaysNoSuchFile() throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));

        assertThatThrownBy(() -> InputUris.resolve(InputUris.forUpload(JOB), store, roots))
                .isInstanceOf(NoSuchFileException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "blob:../x",
                "blob:uploads/../../private/secret.mp4",
                "blob:/etc/passwd",
                "blob:",
                "blob:uploads//source"
            })
    void resolveRefusesBlobKeysThatCouldEscapeTheStore(String uri) throws IOException {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));

        assertThatThrownBy(() -> InputUris.resolve(uri, store, roots))
                .isInstanceOf(InputNotAllowedException.class);
    }

    @Test
    void resolveChecksFileUrisAgainstTheRoots() throws Exception {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"));

        assertThat(InputUris.resolve(video.toUri().toString(), store, roots))
                .isEqualTo(video.toRealPath());
        assertThatThrownBy(
                        () ->
                                InputUris.resolve(
                                        outside.resolve("secret.mp4").toUri().toString(),
                                        store,
                                        roots))
                .isInstanceOf(InputNotAllowedException.class);
        assertThatThrownBy(() -> InputUris.resolve("http://example.com/a.mp4", store, roots))
                .isInstanceOf(InputNotAllowedException.class)
                .hasMessageContaining("http");
    }

    private void assertRefused(String uri, String messagePart) {
        assertThatThrownBy(() -> InputUris.checkUserUri(uri, roots))
                .as("checking %s", uri)
                .isInstanceOf(InputNotAllowedException.class)
                .hasMessageContaining(messagePart);
    }
}
