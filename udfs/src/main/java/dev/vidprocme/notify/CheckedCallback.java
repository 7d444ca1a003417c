package dev.vidprocme.notify;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A callback URL that passed {@link CallbackUrls#check}, with the addresses its host resolved to at
 * that moment; deliveries connect to these and nothing else, so a DNS answer that changes between
 * check and connect (rebinding) cannot redirect them.
 */
public record CheckedCallback(URI uri, String host, int port, List<InetAddress> addresses) {
    public CheckedCallback {
        addresses = List.copyOf(addresses);
    }

    public boolean https() {
        return "https".equals(uri.getScheme());
    }
}
