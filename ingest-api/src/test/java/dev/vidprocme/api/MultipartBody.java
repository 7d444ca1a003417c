package dev.vidprocme.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds multipart/form-data bodies for tests, streaming file contents rather than holding them.
 */
final class MultipartBody {
    static final String BOUNDARY = "vidprocme-test-7MA4YWxkTrZu0gW";

    private final List<Supplier<InputStream>> pieces = new ArrayList<>();
    private long length;
    private boolean knownLength = true;

    MultipartBody field(String name, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        text(
                "--"
                        + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\"\r\n"
                        + "Content-Type: application/json\r\n\r\n");
        pieces.add(() -> new ByteArrayInputStream(v));
        length += v.length;
        return text("\r\n");
    }

    /** A file part; {@code filename} null leaves the filename parameter out. */
    MultipartBody file(String name, String filename, long size, Supplier<InputStream> content) {
        text(
                "--"
                        + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\""
                        + (filename == null ? "" : "; filename=\"" + filename + "\"")
                        + "\r\nContent-Type: application/octet-stream\r\n\r\n");
        pieces.add(content);
        if (size < 0) {
            knownLength = false;
        }
        length += size;
        return text("\r\n");
    }

    MultipartBody file(String name, String filename, byte[] content) {
        return file(name, filename, content.length, () -> new ByteArrayInputStream(content));
    }

    MultipartBody generatedFile(String filename, long size, long seed) {
        return file("file", filename, size, () -> new GeneratedStream(size, seed));
    }

    String contentType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    /** The whole body including the closing delimiter; each call starts afresh. */
    InputStream stream() {
        List<InputStream> streams = new ArrayList<>();
        for (Supplier<InputStream> p : pieces) {
            streams.add(p.get());
        }
        streams.add(
                new ByteArrayInputStream(
                        ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    /** The body without its closing delimiter, as if the client broke off. */
    InputStream truncatedStream() {
        List<InputStream> streams = new ArrayList<>();
        for (Supplier<InputStream> p : pieces) {
            streams.add(p.get());
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    long length() {
        if (!knownLength) {
            return -1;
        }
        return length + ("--" + BOUNDARY + "--\r\n").length();
    }

    byte[] bytes() {
        try (InputStream in = stream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sent chunked: the client never knows or announces the length. */
    HttpRequest.BodyPublisher chunkedPublisher() {
        return HttpRequest.BodyPublishers.ofInputStream(this::stream);
    }

    /** Sent with a Content-Length header. */
    HttpRequest.BodyPublisher fixedLengthPublisher() {
        return HttpRequest.BodyPublishers.fromPublisher(chunkedPublisher(), length());
    }

    private MultipartBody text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        pieces.add(() -> new ByteArrayInputStream(b));
        length += b.length;
        return this;
    }
}
