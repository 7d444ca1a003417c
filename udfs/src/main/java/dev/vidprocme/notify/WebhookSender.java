package dev.vidprocme.notify;

import dev.vidprocme.records.WebhookResult;
import dev.vidprocme.records.WebhookResult.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers job events to callback URLs: signs each POST, retries 5xx, 408, 429 and network errors
 * with exponential backoff and jitter (honouring Retry-After), gives up after the configured
 * attempts or total time, and records every event in {@code webhook_deliveries} so an event is
 * POSTed successfully at most once however often it is replayed. The URL is checked against the
 * SSRF rules before every attempt and the connection goes to the checked address.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    // Added to leases so a slow database round trip cannot let a live claim lapse.
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    private final WebhookSettings settings;
    private final WebhookSigner signer;
    private final WebhookDeliveries deliveries;
    private final CallbackUrls.Resolver resolver;
    private final Clock clock;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final PinnedHttpPost http;
    private final Set<CompletableFuture<WebhookResult>> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param threads blocking work (database, DNS, sockets) runs on this many threads
     */
    public WebhookSender(
            WebhookSettings settings,
            WebhookSigner signer,
            WebhookDeliveries deliveries,
            int threads) {
        this(settings, signer, deliveries, threads, InetAddress::getAllByName, defaultTls());
    }

    WebhookSender(
            WebhookSettings settings,
            WebhookSigner signer,
            WebhookDeliveries deliveries,
            int threads,
            CallbackUrls.Resolver resolver,
            SSLContext tls) {
        this.settings = settings;
        this.signer = signer;
        this.deliveries = deliveries;
        this.resolver = resolver;
        this.clock = Clock.systemUTC();
        AtomicInteger n = new AtomicInteger();
        this.io =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "webhook-io-" + n.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "webhook-timer");
                            t.setDaemon(true);
                            return t;
                        });
        this.http = new PinnedHttpPost(tls, timer);
    }

    /**
     * Delivers {@code event} to {@code url}. The future always completes normally, with the outcome
     * and a readable reason; it never hangs past the configured total time by more than one request
     * timeout.
     */
    public CompletableFuture<WebhookResult> deliver(WebhookEvent event, String url) {
        Delivery d = new Delivery(event, url);
        inFlight.add(d.result);
        d.result.whenComplete((r, e) -> inFlight.remove(d.result));
        d.run(d::claim);
        return d.result;
    }

    /** Runs blocking work on the sender's I/O threads. */
    public <T> CompletableFuture<T> supplyBlocking(BlockingSupplier<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            io.execute(
                    () -> {
                        try {
                            f.complete(work.get());
                        } catch (Exception | Error e) {
                            f.completeExceptionally(e);
                        }
                    });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the webhook sender is closed", e));
        }
        return f;
    }

    /** Work that may block and throw. */
    @FunctionalInterface
    public interface BlockingSupplier<T> {
        T get() throws Exception;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        io.shutdownNow();
        for (CompletableFuture<WebhookResult> f : inFlight) {
            f.complete(null);
        }
    }

    /** Backoff before attempt {@code failures + 1}: exponential, capped, "equal jitter". */
    static Duration backoff(WebhookSettings s, int failures) {
        long base = s.initialBackoff().toMillis();
        long cap = s.maxBackoff().toMillis();
        long exp = failures >= 31 ? cap : Math.min(cap, base << Math.max(0, failures - 1));
        long half = exp / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** One event's way through claim, attempts and waits. */
    private final class Delivery {
        final WebhookEvent event;
        final String url;
        final Instant deadline;
        final CompletableFuture<WebhookResult> result = new CompletableFuture<>();
        int priorAttempts;
        int attempts;

        Delivery(WebhookEvent event, String url) {
            this.event = event;
            this.url = url;
            this.deadline = clock.instant().plus(settings.giveUpAfter());
        }

        void run(Runnable step) {
            try {
                io.execute(
                        () -> {
                            try {
                                step.run();
                            } catch (RuntimeException | Error e) {
                                end(Outcome.GAVE_UP, "internal error: " + e, false);
                            }
                        });
            } catch (RejectedExecutionException e) {
                result.complete(result(Outcome.GAVE_UP, "the webhook sender is closed"));
            }
        }

        void later(Duration delay, Runnable step) {
            try {
                timer.schedule(() -> run(step), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                result.complete(result(Outcome.GAVE_UP, "the webhook sender is closed"));
            }
        }

        void claim() {
            WebhookDeliveries.Claim claim;
            try {
                claim =
                        deliveries.claim(
                                event.eventId(),
                                event.jobId(),
                                url,
                                settings.requestTimeout().plus(LEASE_MARGIN));
            } catch (SQLException e) {
                result.complete(
                        result(Outcome.GAVE_UP, "cannot record the delivery: " + e.getMessage()));
                return;
            }
            if (claim instanceof WebhookDeliveries.Delivered) {
                LOG.debug("job {}: event {} was delivered before", event.jobId(), event.eventId());
                result.complete(result(Outcome.ALREADY_DELIVERED, "delivered earlier"));
            } else if (claim instanceof WebhookDeliveries.Busy busy) {
                Duration wait = busy.left().plusMillis(50);
                if (clock.instant().plus(wait).isAfter(deadline)) {
                    result.complete(
                            result(
                                    Outcome.GAVE_UP,
                                    "another sender held the event for longer than the"
                                            + " delivery budget"));
                } else {
                    later(wait, this::claim);
                }
            } else {
                priorAttempts = ((WebhookDeliveries.Claimed) claim).attempts();
                attempt();
            }
        }

        void attempt() {
            CheckedCallback target;
            try {
                target = CallbackUrls.check(url, settings.allow(), resolver);
            } catch (CallbackRefusedException e) {
                end(Outcome.REFUSED, e.getMessage(), true);
                return;
            }
            attempts++;
            byte[] body = event.body();
            Map<String, String> headers =
                    Map.of(
                            WebhookSigner.SIGNATURE_HEADER,
                            signer.header(clock.instant().getEpochSecond(), body),
                            WebhookSigner.EVENT_ID_HEADER,
                            event.eventId());
            PinnedHttpPost.Response response = null;
            IOException failure = null;
            for (InetAddress address : target.addresses()) {
                try {
                    response =
                            http.post(
                                    target,
                                    address,
                                    headers,
                                    body,
                                    settings.connectTimeout(),
                                    settings.requestTimeout());
                    failure = null;
                    break;
                } catch (ConnectException e) {
                    // Nothing was sent to this address; the next one may answer.
                    failure = e;
                } catch (IOException e) {
                    failure = e;
                    break;
                }
            }
            if (response == null) {
                retry("network error: " + failure, Optional.empty());
                return;
            }
            int status = response.status();
            if (status >= 200 && status < 300) {
                end(Outcome.DELIVERED, null, true);
            } else if (status >= 500 || status == 408 || status == 429) {
                retry("the receiver answered " + status, response.retryAfter());
            } else if (status >= 300 && status < 400) {
                end(
                        Outcome.REJECTED,
                        "the receiver answered " + status + "; redirects are not followed",
                        true);
            } else {
                end(Outcome.REJECTED, "the receiver answered " + status, true);
            }
        }

        void retry(String reason, Optional<Duration> retryAfter) {
            if (attempts >= settings.maxAttempts()) {
                end(
                        Outcome.GAVE_UP,
                        "gave up after " + attempts + " attempts; last: " + reason,
                        true);
                return;
            }
            Duration delay = retryAfter.orElseGet(() -> backoff(settings, attempts));
            if (clock.instant().plus(delay).isAfter(deadline)) {
                end(
                        Outcome.GAVE_UP,
                        "gave up after "
                                + attempts
                                + " attempts: the next would come after the "
                                + settings.giveUpAfter().toSeconds()
                                + " s budget; last: "
                                + reason,
                        true);
                return;
            }
            LOG.info(
                    "job {}: webhook {} attempt {} failed ({}); retrying in {} ms",
                    event.jobId(),
                    event.eventId(),
                    attempts,
                    reason,
                    delay.toMillis());
            try {
                deliveries.attemptFailed(
                        event.eventId(),
                        priorAttempts + attempts,
                        reason,
                        delay.plus(settings.requestTimeout()).plus(LEASE_MARGIN));
            } catch (SQLException e) {
                LOG.warn(
                        "job {}: could not record webhook attempt: {}",
                        event.jobId(),
                        e.toString());
            }
            later(delay, this::attempt);
        }

        void end(Outcome outcome, String detail, boolean record) {
            if (record) {
                try {
                    if (outcome == Outcome.DELIVERED) {
                        deliveries.delivered(event.eventId(), priorAttempts + attempts);
                    } else {
                        deliveries.failed(event.eventId(), priorAttempts + attempts, detail);
                    }
                } catch (SQLException e) {
                    LOG.warn(
                            "job {}: could not record webhook {} as {}: {}",
                            event.jobId(),
                            event.eventId(),
                            outcome,
                            e.toString());
                }
            }
            if (outcome == Outcome.DELIVERED) {
                LOG.debug("job {}: webhook {} delivered", event.jobId(), event.eventId());
            } else {
                LOG.warn(
                        "job {}: webhook {} to {} not delivered ({}): {}",
                        event.jobId(),
                        event.eventId(),
                        url,
                        outcome,
                        detail);
            }
            result.complete(result(outcome, detail));
        }

        WebhookResult result(Outcome outcome, String detail) {
            return new WebhookResult(event.eventId(), event.jobId(), outcome, attempts, detail);
        }
    }
}
