package dev.vidprocme.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks frame image URLs ({@code ?exp=<epochSeconds>&sig=<hex HMAC-SHA256 of
 * "id/index/exp">}), so a browser's {@code <img src>} can fetch a frame without the bearer header.
 */
public final class FrameUrlSigner {
    // Expiries are rounded up to this step so the same page yields the same URLs for a while and
    // browsers can cache the images.
    private static final long ROUNDING_SECONDS = 300;
    private final byte[] key;
    private final long ttlSeconds;
    private final Clock clock;

    public FrameUrlSigner(byte[] key, Duration ttl, Clock clock) {
        this.key = key.clone();
        this.ttlSeconds = ttl.toSeconds();
        this.clock = clock;
    }

    /** Path and query of a signed URL for a frame, valid for at least the configured lifetime. */
    public String signedPath(String jobId, long index) {
        long step = Math.min(ROUNDING_SECONDS, ttlSeconds);
        long now = clock.instant().getEpochSecond();
        long exp = ((now + ttlSeconds + step - 1) / step) * step;
        return path(jobId, index) + "?exp=" + exp + "&sig=" + sign(jobId, index, exp);
    }

    public static String path(String jobId, long index) {
        return "/v1/jobs/" + jobId + "/frames/" + index + ".jpg";
    }

    /** Lower-case hex HMAC-SHA256 over {@code id/index/exp}. */
    public String sign(String jobId, long index, long exp) {
        return HexFormat.of().formatHex(mac(jobId + "/" + index + "/" + exp));
    }

    /**
     * Accepts a request carrying a valid, unexpired signature.
     *
     * @throws ApiException 401 when the request carries no signature at all, 403 when it is wrong
     *     or expired
     */
    public void verify(String jobId, long index, String exp, String sig) {
        if (exp == null && sig == null) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "send 'Authorization: Bearer <token>' or use the signed URL from the frames"
                            + " listing");
        }
        long expSeconds;
        try {
            expSeconds = Long.parseLong(exp == null ? "" : exp);
        } catch (NumberFormatException e) {
            throw forbidden("the frame URL signature is invalid");
        }
        if (sig == null || sig.length() != 64) {
            throw forbidden("the frame URL signature is invalid");
        }
        byte[] expected = sign(jobId, index, expSeconds).getBytes(StandardCharsets.US_ASCII);
        byte[] given = sig.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw forbidden("the frame URL signature is invalid");
        }
        // Checked after the signature so an attacker learns nothing about expiry from forged URLs.
        if (clock.instant().getEpochSecond() > expSeconds) {
            throw forbidden("the frame URL has expired; list the frames again for fresh URLs");
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
