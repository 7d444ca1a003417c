package dev.vidprocme.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 POST to an address chosen by the caller, not by a second DNS lookup: the connection
 * goes to the address {@link CallbackUrls} checked, while the Host header, TLS SNI and certificate
 * check still use the URL's host name. {@code java.net.http.HttpClient} cannot pin the address
 * (Java 17 has no resolver hook), which is why this small client exists. Only the status line and
 * headers of the answer are read.
 */
final class PinnedHttpPost {
    private static final int MAX_HEAD_BYTES = 16 * 1024;

    /** The answer: status and Retry-After, if any. */
    record Response(int status, Optional<Duration> retryAfter) {}

    private final SSLContext tls;
    private final ScheduledExecutorService watchdog;

    PinnedHttpPost(SSLContext tls, ScheduledExecutorService watchdog) {
        this.tls = tls;
        this.watchdog = watchdog;
    }

    /**
     * POSTs {@code body} to {@code target} at {@code address}; the whole exchange is cut off after
     * {@code timeout}, however slowly the server drips bytes.
     */
    Response post(
            CheckedCallback target,
            InetAddress address,
            Map<String, String> headers,
            byte[] body,
            Duration connectTimeout,
            Duration timeout)
            throws IOException {
        Socket socket = new Socket();
        ScheduledFuture<?> cutOff =
                watchdog.schedule(
                        () -> closeQuietly(socket), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            socket.connect(
                    new InetSocketAddress(address, target.port()), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            Socket channel = target.https() ? tls(socket, target) : socket;
            OutputStream out = channel.getOutputStream();
            out.write(head(target, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return readResponse(channel.getInputStream());
        } catch (IOException e) {
            if (cutOff.isDone()) {
                throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
            }
            throw e;
        } finally {
            cutOff.cancel(false);
            closeQuietly(socket);
        }
    }

    private Socket tls(Socket plain, CheckedCallback target) throws IOException {
        SSLSocket ssl =
                (SSLSocket)
                        tls.getSocketFactory()
                                .createSocket(plain, target.host(), target.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        // Certificate checked against the URL's host, not the address we connected to.
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!target.host().contains(":") && !target.host().matches("[0-9.]+")) {
            params.setServerNames(List.of(new SNIHostName(target.host())));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static String head(CheckedCallback target, Map<String, String> headers, int length) {
        String path = target.uri().getRawPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        if (target.uri().getRawQuery() != null) {
            path += "?" + target.uri().getRawQuery();
        }
        boolean defaultPort = target.port() == (target.https() ? 443 : 80);
        String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
        StringBuilder b = new StringBuilder();
        b.append("POST ").append(path).append(" HTTP/1.1\r\n");
        b.append("Host: ")
                .append(host)
                .append(defaultPort ? "" : ":" + target.port())
                .append("\r\n");
        b.append("Content-Type: application/json\r\n");
        b.append("Content-Length: ").append(length).append("\r\n");
        b.append("Connection: close\r\n");
        b.append("User-Agent: vidprocme-webhooks/1\r\n");
        headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        b.append("\r\n");
        return b.toString();
    }

    private static Response readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer: " + truncate(lines[0]));
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + truncate(lines[0]));
        }
        Optional<Duration> retryAfter = Optional.empty();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0
                    && lines[i].substring(0, colon)
                            .strip()
                            .toLowerCase(Locale.ROOT)
                            .equals("retry-after")) {
                retryAfter = RetryAfter.parse(lines[i].substring(colon + 1).strip());
            }
        }
        return new Response(code, retryAfter);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                if (head.size() > 0 && matched >= 2) {
                    break;
                }
                throw new IOException("the connection closed before a complete answer");
            }
            head.write(c);
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("the answer's headers exceed " + MAX_HEAD_BYTES + " bytes");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}
