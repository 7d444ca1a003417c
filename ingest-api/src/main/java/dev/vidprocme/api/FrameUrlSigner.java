package dev.vidprocme.api;

import java.time.Clock;
import java.time.Duration;

/**
 * Signs and checks frame image URLs ({@code ?exp=<epochSeconds>&sig=<hex HMAC-SHA256 of
 * "id/index/exp">}), so a browser's {@code <img src>} can fetch a frame without the bearer header.
 */
public final class FrameUrlSigner {
    private final UrlSignatures signatures;

    public FrameUrlSigner(byte[] key, Duration ttl, Clock clock) {
        this.signatures = new UrlSignatures(key, ttl, clock);
    }

    /** Path and query of a signed URL for a frame, valid for at least the configured lifetime. */
    public String signedPath(String jobId, long index) {
        long exp = signatures.nextExpiry();
        return path(jobId, index) + "?exp=" + exp + "&sig=" + sign(jobId, index, exp);
    }

    public static String path(String jobId, long index) {
        return "/v1/jobs/" + jobId + "/frames/" + index + ".jpg";
    }

    /** Lower-case hex HMAC-SHA256 over {@code id/index/exp}. */
    public String sign(String jobId, long index, long exp) {
        return signatures.sign(jobId + "/" + index + "/" + exp);
    }

    /**
     * Accepts a request carrying a valid, unexpired signature.
     *
     * @throws ApiException 401 when the request carries no signature at all, 403 when it is wrong
     *     or expired
     */
    public void verify(String jobId, long index, String exp, String sig) {
        signatures.verify(
                e -> jobId + "/" + index + "/" + e,
                exp,
                sig,
                "frame URL",
                "send 'Authorization: Bearer <token>' or use the signed URL from the frames"
                        + " listing",
                "list the frames again for fresh URLs");
    }
}
