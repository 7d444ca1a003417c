package dev.vidprocme.io;

import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The input URIs a job may name, checked the same way at the API edge and again in the pipeline (an
 * event on the jobs topic is not trusted just because it is there).
 *
 * <ul>
 *   <li>{@code blob:<key>}: an upload the API stored in the blob store.
 *   <li>{@code file:///abs/path}: a regular file under one of the configured allowed roots, after
 *       resolving symbolic links, so {@code ..} and links cannot escape.
 * </ul>
 *
 * Every other scheme (http, ftp, data, ...) is refused here, and FFmpeg is additionally held to the
 * {@code file} protocol when it opens the result.
 */
public final class InputUris {
    private static final String BLOB = "blob:";

    private InputUris() {}

    public static String forUpload(String jobId) {
        return BLOB + BlobKeys.upload(jobId);
    }

    /**
     * Checks a user-supplied URI for a JSON submission and returns its canonical form.
     *
     * @throws InputNotAllowedException with a message that says what would be accepted
     */
    public static String checkUserUri(String uri, List<Path> allowedRoots)
            throws InputNotAllowedException {
        URI parsed = parse(uri);
        String scheme =
                parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file":
                return toFile(parsed, allowedRoots).toUri().toString();
            case "gs":
                throw new InputNotAllowedException(
                        "gs:// inputs need the GCS blob store, which this deployment does not"
                                + " configure; upload the file instead");
            default:
                throw new InputNotAllowedException(
                        "input.uri scheme '"
                                + (scheme.isEmpty() ? "(none)" : scheme)
                                + "' is not allowed; use file:// under an allowed root, or upload"
                                + " the file");
        }
    }

    /**
     * Finds the local file to decode for a job's input URI.
     *
     * @throws InputNotAllowedException when the URI is not one this deployment may read
     * @throws NoSuchFileException when it is allowed but gone
     */
    public static Path resolve(String inputUri, BlobStore blobs, List<Path> allowedRoots)
            throws InputNotAllowedException, IOException {
        if (inputUri.startsWith(BLOB)) {
            String key;
            try {
                key = BlobKeys.check(inputUri.substring(BLOB.length()));
            } catch (IllegalArgumentException e) {
                throw new InputNotAllowedException(e.getMessage());
            }
            Path path =
                    blobs.localPath(key)
                            .orElseThrow(
                                    () ->
                                            new InputNotAllowedException(
                                                    "the blob store keeps no local files"));
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(inputUri);
            }
            return path;
        }
        URI parsed = parse(inputUri);
        if (!"file".equalsIgnoreCase(parsed.getScheme())) {
            throw new InputNotAllowedException("input scheme not allowed: " + parsed.getScheme());
        }
        return toFile(parsed, allowedRoots);
    }

    private static URI parse(String uri) throws InputNotAllowedException {
        if (uri == null || uri.isBlank() || uri.length() > 4096) {
            throw new InputNotAllowedException("input.uri must be 1..4096 characters");
        }
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            throw new InputNotAllowedException("input.uri is not a valid URI: " + e.getReason());
        }
    }

    private static Path toFile(URI uri, List<Path> allowedRoots) throws InputNotAllowedException {
        if (uri.getAuthority() != null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new InputNotAllowedException(
                    "file URIs must look like file:///absolute/path, without host, query or"
                            + " fragment");
        }
        if (allowedRoots.isEmpty()) {
            throw new InputNotAllowedException(
                    "file:// inputs are disabled here (no allowed input roots are configured)");
        }
        Path real;
        try {
            real = Path.of(uri).toRealPath();
        } catch (NoSuchFileException e) {
            throw new InputNotAllowedException(
                    "no such file under the allowed roots: " + uri.getPath());
        } catch (IOException | IllegalArgumentException e) {
            throw new InputNotAllowedException(
                    "cannot read " + uri.getPath() + ": " + e.getMessage());
        }
        for (Path root : allowedRoots) {
            Path realRoot;
            try {
                realRoot = root.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (real.startsWith(realRoot)) {
                if (!Files.isRegularFile(real)) {
                    throw new InputNotAllowedException(
                            "input "
                                    + uri.getPath()
                                    + " is not a regular file (a folder or device, say)");
                }
                return real;
            }
        }
        throw new InputNotAllowedException(
                "file " + uri.getPath() + " is outside the allowed input roots " + allowedRoots);
    }
}
