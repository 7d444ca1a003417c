package dev.vidprocme.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Checks {@code Authorization: Bearer <token>} against the configured token in constant time. */
public final class BearerAuth {
    private static final String SCHEME = "bearer ";
    private final byte[] expectedDigest;

    public BearerAuth(String token) {
        this.expectedDigest = sha256(token);
    }

    /** Whether the header value carries the configured token. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null
                || authorizationHeader.length() <= SCHEME.length()
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        String given = authorizationHeader.substring(SCHEME.length()).strip();
        // Comparing digests keeps the time independent of both content and length of the guess.
        return MessageDigest.isEqual(expectedDigest, sha256(given));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
