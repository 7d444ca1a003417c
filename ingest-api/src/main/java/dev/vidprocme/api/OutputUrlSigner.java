package dev.vidprocme.api;

import java.time.Clock;
import java.time.Duration;

/**
 * Signs and checks output URLs served by the API when the blob store cannot sign its own ({@code
 * ?exp=<epochSeconds>&sig=<hex HMAC-SHA256 of "output/id/name/exp">}). The "output/" prefix keeps
 * these signatures from ever matching a frame URL's, which are made with the same key.
 */
public final class OutputUrlSigner {
    private final UrlSignatures signatures;

    public OutputUrlSigner(byte[] key, Duration ttl, Clock clock) {
        this.signatures = new UrlSignatures(key, ttl, clock);
    }

    /** Path and query of a signed URL for an output, valid for at least the configured lifetime. */
    public String signedPath(String jobId, String name) {
        long exp = signatures.nextExpiry();
        return path(jobId, name) + "?exp=" + exp + "&sig=" + sign(jobId, name, exp);
    }

    /** The output's path; slashes in the name travel as %2F so the name stays one segment. */
    public static String path(String jobId, String name) {
        return "/v1/jobs/" + jobId + "/outputs/" + name.replace("/", "%2F");
    }

    public String sign(String jobId, String name, long exp) {
        return signatures.sign(message(jobId, name, exp));
    }

    /**
     * @throws ApiException 401 without any signature, 403 when it is wrong or expired
     */
    public void verify(String jobId, String name, String exp, String sig) {
        signatures.verify(
                e -> message(jobId, name, e),
                exp,
                sig,
                "output URL",
                "send 'Authorization: Bearer <token>' or use the url from the outputs listing",
                "list the outputs again for fresh URLs");
    }

    private static String message(String jobId, String name, long exp) {
        return "output/" + jobId + "/" + name + "/" + exp;
    }
}
