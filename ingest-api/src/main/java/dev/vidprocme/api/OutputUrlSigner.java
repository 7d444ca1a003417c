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
 * Signs and checks output URLs served by the API when the blob store cannot sign its own ({@code
 * ?exp=<epochSeconds>&sig=<hex HMAC-SHA256 of "output/id/name/exp">}). The "output/" prefix keeps
 * these signatures from ever matching a frame URL's, which are made with the same key.
 */
public final class OutputUrlSigner {
    private static final long ROUNDING_SECONDS = 300;
    private final byte[] key;
    private final long ttlSeconds;
    private final Clock clock;

    public OutputUrlSigner(byte[] key, Duration ttl, Clock clock) {
        this.key = key.clone();
        this.ttlSeconds = ttl.toSeconds();
        this.clock = clock;
    }

    /** Path and query of a signed URL for an output, valid for at least the configured lifetime. */
    public String signedPath(String jobId, String name) {
        long step = Math.min(ROUNDING_SECONDS, ttlSeconds);
        long now = clock.instant().getEpochSecond();
        long exp = ((now + ttlSeconds + step - 1) / step) * step;
        return path(jobId, name) + "?exp=" + exp + "&sig=" + sign(jobId, name, exp);
    }

    /** The output's path; slashes in the name travel as %2F so the name stays one segment. */
    public static String path(String jobId, String name) {
        return "/v1/jobs/" + jobId + "/outputs/" + name.replace("/", "%2F");
    }

    public String sign(String jobId, String name, long exp) {
        return HexFormat.of().formatHex(mac("output/" + jobId + "/" + name + "/" + exp));
    }

    /**
     * @throws ApiException 401 without any signature, 403 when it is wrong or expired
     */
    public void verify(String jobId, String name, String exp, String sig) {
        if (exp == null && sig == null) {
            throw new ApiException(
                    401,
                    "unauthorized",
                    "send 'Authorization: Bearer <token>' or use the url from the outputs listing");
        }
        long expSeconds;
        try {
            expSeconds = Long.parseLong(exp == null ? "" : exp);
        } catch (NumberFormatException e) {
            throw forbidden("the output URL signature is invalid");
        }
        if (sig == null || sig.length() != 64) {
            throw forbidden("the output URL signature is invalid");
        }
        byte[] expected = sign(jobId, name, expSeconds).getBytes(StandardCharsets.US_ASCII);
        byte[] given = sig.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw forbidden("the output URL signature is invalid");
        }
        if (clock.instant().getEpochSecond() > expSeconds) {
            throw forbidden("the output URL has expired; list the outputs again for fresh URLs");
        }
    }

    private static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    private byte[] mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
