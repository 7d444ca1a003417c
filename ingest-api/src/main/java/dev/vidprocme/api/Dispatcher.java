package dev.vidprocme.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single HTTP entry point: routes, authenticates, runs the handler and turns every outcome,
 * including unexpected exceptions, into a response with the standard error body. Stack traces go to
 * the log, never to the client.
 */
final class Dispatcher implements HttpHandler {
    /** How much of an unread request body is read and discarded before an error reply. */
    static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Router router;
    private final BearerAuth auth;

    Dispatcher(Router router, BearerAuth auth) {
        this.router = router;
        this.auth = auth;
    }

    @Override
    public void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        Request request = new Request(exchange);
        Reply reply;
        try {
            reply = route(request);
        } catch (ApiException e) {
            reply = Reply.error(e);
            if (e.status() >= 500) {
                LOG.warn(
                        "{} {} (job {}): {} {}",
                        request.method(),
                        request.path(),
                        request.jobId(),
                        e.status(),
                        e.getMessage(),
                        e.getCause());
            } else {
                LOG.debug(
                        "{} {} (job {}): {} {}",
                        request.method(),
                        request.path(),
                        request.jobId(),
                        e.status(),
                        e.getMessage());
            }
        } catch (Exception | Error e) {
            LOG.error(
                    "{} {} (job {}) failed", request.method(), request.path(), request.jobId(), e);
            String where = request.jobId() == null ? "" : " (job " + request.jobId() + ")";
            reply =
                    Reply.error(
                            new ApiException(
                                    500,
                                    "internal",
                                    "internal error" + where + "; see the server log"));
        }
        if (reply.status() == 401) {
            reply = reply.header("WWW-Authenticate", "Bearer realm=\"vidprocme\"");
        }
        try {
            if (reply.status() >= 400 && hasBody(request)) {
                // The body may be unread (e.g. an upload refused half-way). Closing a socket with
                // unread
                // input resets it, and a client still sending could lose the reply; so the reply
                // goes out
                // first, then what the client still sends is read and discarded, up to a limit.
                reply = reply.header("Connection", "close");
                reply.send(exchange, () -> drain(request));
            } else {
                reply.send(exchange);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug(
                    "{} {}: could not send the reply: {}",
                    request.method(),
                    request.path(),
                    e.toString());
        } finally {
            exchange.close();
            LOG.debug(
                    "{} {} -> {} in {} ms",
                    request.method(),
                    request.path(),
                    reply.status(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private Reply route(Request request) throws Exception {
        boolean bearer = auth.accepts(request.header("Authorization"));
        request.bearerAuthenticated(bearer);
        Router.Match match = router.match(request.method(), request.path());
        if (match instanceof Router.Found found) {
            Access access = found.route().access();
            if (access == Access.BEARER && !bearer) {
                throw unauthorized();
            }
            request.pathParams(found.params());
            return found.route().handler().handle(request);
        }
        // Unknown paths under /v1 look the same as known ones to a caller without the token.
        boolean protectedPath = request.path().equals("/v1") || request.path().startsWith("/v1/");
        if (match instanceof Router.MethodNotAllowed mna) {
            if ((protectedPath || mna.protectedPath()) && !bearer) {
                throw unauthorized();
            }
            return Reply.error(
                            new ApiException(
                                    405,
                                    "method_not_allowed",
                                    request.method()
                                            + " is not supported here; use "
                                            + String.join(", ", mna.allowed())))
                    .header("Allow", String.join(", ", mna.allowed()));
        }
        if (protectedPath && !bearer) {
            throw unauthorized();
        }
        throw ApiException.notFound("no such resource");
    }

    private static ApiException unauthorized() {
        return new ApiException(401, "unauthorized", "send 'Authorization: Bearer <token>'");
    }

    private static boolean hasBody(Request request) {
        return request.contentLength() > 0 || request.header("Transfer-Encoding") != null;
    }

    /** Reads what is left of the request body, up to the limit; true when it was all read. */
    private static boolean drain(Request request) {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            InputStream in = request.body();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > DRAIN_LIMIT) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
