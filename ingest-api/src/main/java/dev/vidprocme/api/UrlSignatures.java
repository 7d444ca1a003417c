package dev.vidprocme.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.LongFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 URL signatures behind {@link FrameUrlSigner} and {@link OutputUrlSigner}: an
 * expiry rounded up to a step, a hex signature over a message that names what is signed and the
 * expiry, and a constant-time check that says 401 for no signature and 403 for a wrong or expired
 * one.
 */
final class UrlSignatures {
    // Expiries are rounded up to this step so the same page yields the same URLs for a while and
    // browsers can cache what they fetch.
    private static final long ROUNDING_SECONDS = 300;
    private final byte[] key;
    private final long ttlSeconds;
    private final Clock clock;

    UrlSignatures(byte[] key, Duration ttl, Clock clock) {
        this.key = key.clone();
        this.ttlSeconds = ttl.toSeconds();
        this.clock = clock;
    }

    /** The expiry of a URL signed now, at least the configured lifetime away. */
    long nextExpiry() {
        long step = Math.min(ROUNDING_SECONDS, ttlSeconds);
        long now = clock.instant().getEpochSecond();
        return ((now + ttlSeconds + step - 1) / step) * step;
    }

    /** Lower-case hex HMAC-SHA256 over {@code message}. */
    String sign(String message) {
        return HexFormat.of().formatHex(mac(message));
    }

    /**
     * Accepts a request carrying a valid, unexpired signature.
     *
     * @param message the signed message for a given expiry
     * @param what what the URL is for, as users read it ({@code frame URL})
     * @param unsigned what a request with no signature at all is told to do
     * @param refresh how to get a fresh URL once one has expired
     * @throws ApiException 401 when the request carries no signature at all, 403 when it is wrong
     *     or expired
     */
    void verify(
            LongFunction<String> message,
            String exp,
            String sig,
            String what,
            String unsigned,
            String refresh) {
        if (exp == null && sig == null) {
            throw new ApiException(401, "unauthorized", unsigned);
        }
        long expSeconds;
        try {
            expSeconds = Long.parseLong(exp == null ? "" : exp);
        } catch (NumberFormatException e) {
            throw forbidden("the " + what + " signature is invalid");
        }
        if (sig == null || sig.length() != 64) {
            throw forbidden("the " + what + " signature is invalid");
        }
        byte[] expected = sign(message.apply(expSeconds)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = sig.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw forbidden("the " + what + " signature is invalid");
        }
        // Checked after the signature so an attacker learns nothing about expiry from forged URLs.
        if (clock.instant().getEpochSecond() > expSeconds) {
            throw forbidden("the " + what + " has expired; " + refresh);
        }
    }

    private static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    private byte[] mac(String message) {
        try {
            // Mac instances are not thread-safe and cheap to make; one per call keeps this class
            // shareable.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
