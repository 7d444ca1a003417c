package dev.vidprocme.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of a submission that an {@code Idempotency-Key} is bound to: SHA-256 over a
 * canonical text of what decides the job's outcome, the normalised spec plus the input (the
 * canonical input URI, or the uploaded file's SHA-256 and size). Each value is length-prefixed so
 * no two different requests share a canonical text.
 */
final class RequestHash {
    private static final String VERSION = "vidprocme-submission-v1";

    private RequestHash() {}

    /** A JSON submission naming {@code inputUri}. */
    static String ofUri(String normalisedSpecJson, String inputUri) {
        return sha256Hex(canonical("uri", normalisedSpecJson, inputUri));
    }

    /** An upload whose file had digest {@code fileSha256} (lower-case hex) and {@code bytes}. */
    static String ofUpload(String normalisedSpecJson, String fileSha256, long bytes) {
        return sha256Hex(
                canonical("upload", normalisedSpecJson, fileSha256 + ":" + Long.toString(bytes)));
    }

    static String canonical(String kind, String specJson, String input) {
        StringBuilder text = new StringBuilder(VERSION).append('\n');
        field(text, "kind", kind);
        field(text, "spec", specJson);
        field(text, "input", input);
        return text.toString();
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void field(StringBuilder text, String name, String value) {
        text.append(name).append(' ').append(value.length()).append(':').append(value).append('\n');
    }
}
