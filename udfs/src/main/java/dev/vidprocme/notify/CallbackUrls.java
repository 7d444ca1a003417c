package dev.vidprocme.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a job's callback URL may be called, so that a job spec cannot make the pipeline
 * reach internal services (SSRF): http or https only, no credentials in the URL, and every address
 * the host resolves to must be public unless allow-listed. Checked at submission and again before
 * every delivery, whose connection then goes to the checked addresses only.
 */
public final class CallbackUrls {
    /** How the host is resolved; tests pass a fixed table. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final int MAX_LENGTH = 2048;

    // Cloud metadata endpoints by name; their addresses (169.254.169.254, fd00:ec2::254) are
    // link-local or private and refused by range anyway.
    private static final Set<String> METADATA_HOSTS =
            Set.of("metadata", "metadata.google.internal", "metadata.goog", "instance-data");

    private CallbackUrls() {}

    /**
     * Syntax only (scheme, host, no userinfo, no fragment); what a spec parser can check without
     * DNS.
     */
    public static URI checkSyntax(String url) throws CallbackRefusedException {
        if (url == null || url.isBlank()) {
            throw new CallbackRefusedException("callbackUrl must not be blank");
        }
        if (url.length() > MAX_LENGTH) {
            throw new CallbackRefusedException(
                    "callbackUrl must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new CallbackRefusedException("callbackUrl is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new CallbackRefusedException(
                    "callbackUrl must be an http or https URL, got scheme '" + scheme + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new CallbackRefusedException(
                    "callbackUrl must not carry credentials (user:password@); authenticate the"
                            + " request by its Vidproc-Signature header instead");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new CallbackRefusedException("callbackUrl has no host: " + url);
        }
        if (uri.getRawFragment() != null) {
            throw new CallbackRefusedException("callbackUrl must not have a #fragment");
        }
        return uri;
    }

    /** {@link #check(String, AllowList, Resolver)} with the system resolver. */
    public static CheckedCallback check(String url, AllowList allow)
            throws CallbackRefusedException {
        return check(url, allow, InetAddress::getAllByName);
    }

    /**
     * Checks syntax, resolves the host and refuses it if any address is internal and not
     * allow-listed (one bad address is enough: the connection could go to any of them).
     */
    public static CheckedCallback check(String url, AllowList allow, Resolver resolver)
            throws CallbackRefusedException {
        URI uri = checkSyntax(url);
        String host = uri.getHost();
        // URI keeps IPv6 literals in brackets.
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String lower = bare.toLowerCase(Locale.ROOT);
        while (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        int port =
                uri.getPort() >= 0
                        ? uri.getPort()
                        : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        boolean hostAllowed = allow.allowsHost(lower);
        if (!hostAllowed && METADATA_HOSTS.contains(lower)) {
            throw new CallbackRefusedException(
                    "callbackUrl host '" + bare + "' is a cloud metadata service");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new CallbackRefusedException("callbackUrl host '" + bare + "' does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new CallbackRefusedException("callbackUrl host '" + bare + "' does not resolve");
        }
        for (InetAddress a : addresses) {
            String why = forbiddenRange(a);
            if (why != null && !hostAllowed && !allow.allowsAddress(a)) {
                throw new CallbackRefusedException(
                        "callbackUrl host '"
                                + bare
                                + "' resolves to "
                                + a.getHostAddress()
                                + ", a "
                                + why
                                + " address; only public addresses are called unless the"
                                + " operator allow-lists it (vidproc.webhook.allow)");
            }
        }
        return new CheckedCallback(uri, bare, port, List.of(addresses));
    }

    /** Why {@code a} is internal, or null when it is a public unicast address. */
    static String forbiddenRange(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            byte[] mapped = embeddedIpv4(b);
            if (mapped != null) {
                try {
                    String why = forbiddenRange(InetAddress.getByAddress(mapped));
                    return why == null ? null : "IPv4-mapped " + why;
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (v6.isLoopbackAddress()) {
                return "loopback";
            }
            if (v6.isAnyLocalAddress()) {
                return "unspecified";
            }
            if (v6.isLinkLocalAddress()) {
                return "link-local";
            }
            if (v6.isSiteLocalAddress()) {
                return "site-local";
            }
            if (v6.isMulticastAddress()) {
                return "multicast";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (fc00::/7)";
            }
            return null;
        }
        byte[] b = a.getAddress();
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress() || b0 == 0) {
            return "unspecified (0.0.0.0/8)";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local (169.254.0.0/16)";
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return "private";
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return "carrier-grade NAT (100.64.0.0/10)";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        if (b0 >= 240) {
            return "reserved or broadcast (240.0.0.0/4)";
        }
        return null;
    }

    /**
     * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}) or IPv4-compatible ({@code
     * ::a.b.c.d}) IPv6 address, else null. (Java already turns mapped literals into {@link
     * Inet4Address}; resolvers may not.)
     */
    private static byte[] embeddedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return null;
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0;
        if (!mapped && !compatible) {
            return null;
        }
        byte[] v4 = {b[12], b[13], b[14], b[15]};
        // ::1 and :: are IPv6's own loopback and unspecified, not IPv4-compatible addresses.
        if (compatible && v4[0] == 0 && v4[1] == 0 && v4[2] == 0 && (v4[3] & 0xfe) == 0) {
            return null;
        }
        return v4;
    }
}
