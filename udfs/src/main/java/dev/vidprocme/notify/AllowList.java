package dev.vidprocme.notify;

import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Callback hosts and address ranges an operator allows even though they are internal (a receiver on
 * the same machine or network). Entries are host names ({@code hooks.internal}) or CIDRs ({@code
 * 10.1.0.0/16}, {@code ::1/128}); a bare address counts as a single-address CIDR.
 */
public final class AllowList implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Nothing internal allowed: the default. */
    public static final AllowList NONE = new AllowList(Set.of(), List.of());

    private final Set<String> hosts;
    private final List<Cidr> ranges;

    private AllowList(Set<String> hosts, List<Cidr> ranges) {
        this.hosts = Set.copyOf(hosts);
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Parses a comma-separated list, as in {@code vidproc.webhook.allow}.
     *
     * @throws IllegalArgumentException naming the entry that is neither a host name nor a CIDR
     */
    public static AllowList parse(String entries) {
        if (entries == null || entries.isBlank()) {
            return NONE;
        }
        Set<String> hosts = new TreeSet<>();
        List<Cidr> ranges = new ArrayList<>();
        for (String raw : entries.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || entry.contains(":") || entry.matches("[0-9.]+")) {
                ranges.add(Cidr.parse(entry));
            } else if (entry.matches(
                    "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
                hosts.add(entry.toLowerCase(Locale.ROOT));
            } else {
                throw new IllegalArgumentException(
                        "webhook allow-list entry '"
                                + entry
                                + "' is neither a host name nor a CIDR such as 10.0.0.0/8");
            }
        }
        return new AllowList(hosts, ranges);
    }

    /** Whether the URL's host name itself is listed (case-insensitive, exact). */
    public boolean allowsHost(String host) {
        return host != null && hosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code address} lies in a listed range. */
    public boolean allowsAddress(InetAddress address) {
        for (Cidr c : ranges) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(hosts);
        ranges.forEach(c -> all.add(c.toString()));
        return "AllowList" + all;
    }

    /** An address range; IPv4 and IPv6 ranges never contain each other's addresses. */
    record Cidr(byte[] network, int prefix, String text) implements Serializable {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String addr = slash < 0 ? text : text.substring(0, slash);
            if (!addr.matches("[0-9A-Fa-f:.]+")) {
                throw invalid(text);
            }
            byte[] bytes;
            try {
                // Only literals reach here, so this does not query DNS.
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException e) {
                throw invalid(text);
            }
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw invalid(text);
            }
            return new Cidr(bytes, prefix, text);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }

        private static IllegalArgumentException invalid(String text) {
            return new IllegalArgumentException(
                    "webhook allow-list entry '"
                            + text
                            + "' is not a valid CIDR (e.g. 10.0.0.0/8 or fd00::/8)");
        }
    }
}
