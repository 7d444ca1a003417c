package dev.vidprocme.analysis.caption;

import dev.vidprocme.records.AnalysisSpec;
import dev.vidprocme.records.CaptionSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captions frames with a vision LLM, asynchronously: looks each frame up in the cache, sends the
 * rest {@code framesPerRequest} at a time, within each endpoint's concurrency, rate limit, circuit
 * breaker and the job's budget; retries transient failures with backoff (never sooner than {@code
 * Retry-After}) and a malformed reply once with the error; stores what it paid for.
 *
 * <p>Every queue and counter is touched only by one dispatcher thread; calls block on their own
 * threads and report back to it. Made for a Flink {@code AsyncFunction}: create it in {@code
 * open()}, close it in {@code close()}; the returned future always completes.
 */
public final class Captioner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Captioner.class);

    private final CaptionSettings settings;
    private final CaptionCache cache;
    private final UsageLedger ledger;
    private final Function<String, String> environment;
    private final Ticker ticker;
    private final Random random = new Random();
    private final ScheduledExecutorService dispatcher;
    private final ExecutorService calls;
    private final ExecutorService io;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    /**
     * @param environment looks up environment variables (API keys); {@code System::getenv} in
     *     production
     * @param ticker the clock for rate limits, backoff and the circuit breaker
     */
    public Captioner(
            CaptionSettings settings,
            CaptionCache cache,
            UsageLedger ledger,
            Function<String, String> environment,
            Ticker ticker) {
        this.settings = settings;
        this.cache = cache;
        this.ledger = ledger;
        this.environment = environment;
        this.ticker = ticker;
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(threads("caption-dispatch"));
        this.calls = Executors.newCachedThreadPool(threads("caption-call"));
        this.io = Executors.newFixedThreadPool(2, threads("caption-store"));
    }

    /** Keys from the process environment, the system clock. */
    public static Captioner create(
            CaptionSettings settings, CaptionCache cache, UsageLedger ledger) {
        return new Captioner(settings, cache, ledger, System::getenv, Ticker.system());
    }

    /**
     * The budget for {@code jobId} under {@code analysis}, less the usage already recorded for the
     * job. Blocks on the ledger: call it off the task thread, once per job.
     */
    public JobBudget budgetFor(String jobId, AnalysisSpec analysis) {
        if (analysis.maxTokens() == null && analysis.maxCostUsd() == null) {
            return JobBudget.unlimited();
        }
        String model = analysis.caption() == null ? null : analysis.caption().model();
        // Map.copyOf's maps refuse a null key.
        ModelPrice price = model == null ? null : settings.prices().get(model);
        return JobBudget.of(analysis, model, price, ledger.totalFor(jobId));
    }

    /**
     * Captions {@code frames} for {@code jobId}; the list comes back in the same order, one entry
     * per frame, each OK, FAILED, SKIPPED_BUDGET or CIRCUIT_OPEN. The future fails only for a spec
     * or configuration the captioner cannot run ({@link CaptionConfigException}) or an unreadable
     * cache ({@link CaptionStoreException}).
     */
    public CompletableFuture<List<FrameCaption>> caption(
            String jobId, List<CaptionFrame> frames, CaptionSpec spec, JobBudget budget) {
        Request request;
        try {
            request = request(jobId, spec, budget);
        } catch (CaptionConfigException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (frames.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        Map<CacheKey, Unique> unique = new LinkedHashMap<>();
        for (CaptionFrame frame : frames) {
            CacheKey key =
                    new CacheKey(
                            Hashes.sha256(frame.jpeg()),
                            request.cacheModel(),
                            request.prompt().hash());
            unique.computeIfAbsent(key, k -> new Unique(k, frame.jpeg(), new ArrayList<>()))
                    .frameIndexes()
                    .add(frame.frameIndex());
        }
        return CompletableFuture.supplyAsync(() -> cache.getAll(unique.keySet()), io)
                .thenCompose(hits -> callForMisses(request, unique, hits))
                .thenApply(
                        byIndex -> frames.stream().map(f -> byIndex.get(f.frameIndex())).toList());
    }

    /** The breaker state of {@code provider}'s endpoint, CLOSED before its first call. */
    CircuitBreaker.State breakerState(String provider) {
        Endpoint endpoint = endpoints.get(provider);
        return endpoint == null ? CircuitBreaker.State.CLOSED : endpoint.breaker.state();
    }

    @Override
    public void close() {
        try {
            dispatcher
                    .submit(
                            () -> {
                                for (Endpoint endpoint : endpoints.values()) {
                                    for (Attempt a : endpoint.queue) {
                                        a.done.completeExceptionally(
                                                new IllegalStateException(
                                                        "the captioner was closed"));
                                    }
                                    endpoint.queue.clear();
                                }
                            })
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Could not fail the queued caption requests on close: {}", e.toString());
        }
        dispatcher.shutdownNow();
        calls.shutdownNow();
        io.shutdownNow();
    }

    private Request request(String jobId, CaptionSpec spec, JobBudget budget) {
        if (spec == null) {
            throw new CaptionConfigException("analysis.caption is required to caption frames");
        }
        if (spec.provider() == null || spec.provider().isBlank()) {
            throw new CaptionConfigException(
                    "analysis.caption.provider is required: "
                            + CaptionSettings.OPENAI
                            + " or "
                            + CaptionSettings.OLLAMA);
        }
        if (spec.model() == null || spec.model().isBlank()) {
            throw new CaptionConfigException("analysis.caption.model is required");
        }
        int perRequest =
                spec.framesPerRequest() == null
                        ? settings.defaultFramesPerRequest()
                        : spec.framesPerRequest();
        if (perRequest < 1 || perRequest > settings.maxFramesPerRequest()) {
            throw new CaptionConfigException(
                    "analysis.caption.framesPerRequest must be between 1 and "
                            + settings.maxFramesPerRequest()
                            + ", got "
                            + perRequest);
        }
        Endpoint endpoint = endpoint(spec.provider());
        VisionModel model = endpoint.model(spec.model());
        return new Request(
                jobId,
                spec.model(),
                spec.provider() + ":" + spec.model(),
                new CaptionPrompt(spec.prompt(), CaptionField.parse(spec.fields())),
                perRequest,
                endpoint,
                model,
                budget == null ? JobBudget.unlimited() : budget,
                settings.prices().get(spec.model()));
    }

    private Endpoint endpoint(String provider) {
        EndpointSettings endpointSettings = settings.endpoint(provider);
        return endpoints.computeIfAbsent(provider, p -> new Endpoint(p, endpointSettings));
    }

    private CompletableFuture<Map<Long, FrameCaption>> callForMisses(
            Request request, Map<CacheKey, Unique> unique, Map<CacheKey, CachedCaption> hits) {
        Map<Long, FrameCaption> byIndex = new ConcurrentHashMap<>();
        List<Unique> misses = new ArrayList<>();
        for (Unique u : unique.values()) {
            CachedCaption hit = hits.get(u.key());
            if (hit == null) {
                misses.add(u);
                continue;
            }
            for (long index : u.frameIndexes()) {
                byIndex.put(
                        index,
                        new FrameCaption(
                                index,
                                CaptionStatus.OK,
                                hit.caption(),
                                hit.tags(),
                                hit.objects(),
                                hit.text(),
                                request.model(),
                                request.prompt().hash(),
                                0,
                                0,
                                true,
                                null));
            }
        }
        List<CompletableFuture<List<FrameCaption>>> batches = new ArrayList<>();
        for (int from = 0; from < misses.size(); from += request.framesPerRequest()) {
            Attempt attempt =
                    new Attempt(
                            request,
                            misses.subList(
                                    from,
                                    Math.min(misses.size(), from + request.framesPerRequest())));
            batches.add(attempt.done);
            dispatcher.execute(
                    () -> {
                        request.endpoint().queue.addLast(attempt);
                        pump(request.endpoint());
                    });
        }
        if (!misses.isEmpty()) {
            LOG.debug(
                    "Job {}: {} distinct frames cached, {} to ask {} in {} requests",
                    request.jobId(),
                    unique.size() - misses.size(),
                    misses.size(),
                    request.cacheModel(),
                    batches.size());
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new))
                .thenApply(
                        done -> {
                            for (CompletableFuture<List<FrameCaption>> batch : batches) {
                                batch.join().forEach(c -> byIndex.put(c.frameIndex(), c));
                            }
                            return byIndex;
                        });
    }

    /** Starts every queued request that may start now; runs on the dispatcher. */
    private void pump(Endpoint ep) {
        long now = ticker.nanos();
        if (now - ep.pausedUntil < 0) {
            wakeAt(ep, ep.pausedUntil);
            return;
        }
        Iterator<Attempt> queued = ep.queue.iterator();
        while (queued.hasNext() && ep.inFlight < ep.settings.concurrency()) {
            Attempt a = queued.next();
            Estimate estimate = estimate(ep, a);
            if (estimate.total() > ep.limiter.limit().tokens()) {
                queued.remove();
                finish(
                        a,
                        CaptionStatus.FAILED,
                        "a request of "
                                + a.items.size()
                                + " frames needs about "
                                + estimate.total()
                                + " tokens, more than the endpoint's limit of "
                                + ep.limiter.limit().tokens()
                                + " per "
                                + ep.limiter.limit().window()
                                + "; lower analysis.caption.framesPerRequest");
                continue;
            }
            JobBudget.Admission admission = a.request.budget().admission();
            if (admission == JobBudget.Admission.REACHED) {
                queued.remove();
                finish(a, CaptionStatus.SKIPPED_BUDGET, "the job's caption budget was reached");
                continue;
            }
            if (admission == JobBudget.Admission.WAIT) {
                continue; // pumped again when the job's requests in flight settle
            }
            CircuitBreaker.Decision decision = ep.breaker.decide();
            if (decision == CircuitBreaker.Decision.REJECT) {
                queued.remove();
                finish(
                        a,
                        CaptionStatus.CIRCUIT_OPEN,
                        "the "
                                + ep.provider
                                + " endpoint failed "
                                + settings.breaker().failureThreshold()
                                + " times in a row; calls resume after "
                                + settings.breaker().coolDown());
                continue;
            }
            if (decision == CircuitBreaker.Decision.WAIT) {
                return; // the probe's outcome pumps again
            }
            long wait = ep.limiter.nanosUntilRoom(estimate.total());
            if (wait > 0) {
                if (wait != Long.MAX_VALUE) {
                    wakeAt(ep, now + wait);
                }
                return; // first come, first served: nothing overtakes a request held by the limit
            }
            queued.remove();
            ep.breaker.started();
            RateLimiter.Permit permit = ep.limiter.admit(estimate.total());
            a.request.budget().reserve(estimate.input(), estimate.output());
            ep.inFlight++;
            a.attempts++;
            calls.execute(() -> call(ep, a, permit, estimate));
        }
    }

    private void wakeAt(Endpoint ep, long at) {
        if (ep.wakeupAt != null && ep.wakeupAt - at <= 0 && ep.wakeupAt - ticker.nanos() > 0) {
            return; // an earlier wake-up is already booked
        }
        ep.wakeupAt = at;
        dispatcher.schedule(
                () -> {
                    ep.wakeupAt = null;
                    pump(ep);
                },
                Math.max(0, at - ticker.nanos()),
                TimeUnit.NANOSECONDS);
    }

    /** Runs on a call thread: the only place that blocks on the network. */
    private void call(Endpoint ep, Attempt a, RateLimiter.Permit permit, Estimate estimate) {
        List<byte[]> jpegs = a.items.stream().map(Unique::jpeg).toList();
        CaptionPrompt prompt = a.request.prompt();
        String text =
                a.correction == null
                        ? prompt.forImages(jpegs.size())
                        : prompt.correcting(jpegs.size(), a.correction);
        Outcome outcome;
        try {
            ModelReply reply = a.request.vision().ask(text, jpegs);
            try {
                outcome =
                        new Outcome(
                                reply,
                                ReplyParser.parse(reply.content(), jpegs.size(), prompt.fields()),
                                null,
                                null);
            } catch (MalformedReplyException e) {
                outcome = new Outcome(reply, null, e.getMessage(), null);
            }
        } catch (RuntimeException e) {
            outcome = new Outcome(null, null, null, Failure.of(e));
        }
        Outcome result = outcome;
        dispatcher.execute(() -> settle(ep, a, permit, estimate, result));
    }

    /** Runs on the dispatcher once a call has returned. */
    private void settle(
            Endpoint ep, Attempt a, RateLimiter.Permit permit, Estimate estimate, Outcome o) {
        ep.inFlight--;
        ModelReply reply = o.reply();
        boolean reported =
                reply != null && reply.inputTokens() != null && reply.outputTokens() != null;
        permit.finish(reported ? reply.inputTokens() + reply.outputTokens() : null);
        long in = reply == null ? 0 : reported ? reply.inputTokens() : estimate.input();
        long out = reply == null ? 0 : reported ? reply.outputTokens() : estimate.output();
        a.request.budget().settle(estimate.input(), estimate.output(), in, out);
        a.spentInput += in;
        a.spentOutput += out;
        if (reported) {
            learn(ep, a, reply);
        }
        if (o.parsed() != null) {
            ep.breaker.succeeded();
            succeed(a, o.parsed());
        } else if (o.malformed() != null) {
            ep.breaker.succeeded(); // the endpoint answered; the model's answer was the problem
            if (a.correction == null) {
                LOG.info(
                        "Job {}: malformed caption reply, asking once more: {}",
                        a.request.jobId(),
                        o.malformed());
                a.correction = o.malformed();
                ep.queue.addFirst(a);
            } else {
                finish(
                        a,
                        CaptionStatus.FAILED,
                        "the model's reply was malformed twice: " + o.malformed());
            }
        } else {
            Failure f = o.failure();
            if (f.endpointFault()) {
                ep.breaker.failed();
            } else {
                ep.breaker.neutral();
            }
            long now = ticker.nanos();
            long retryAfter = f.retryAfter() == null ? 0 : f.retryAfter().toNanos();
            if (retryAfter > 0 && now + retryAfter - ep.pausedUntil > 0) {
                // The endpoint asked every caller to hold off, not just this request.
                ep.pausedUntil = now + retryAfter;
            }
            if (f.retryable() && a.attempts < settings.retry().maxAttempts()) {
                long delay =
                        Math.max(
                                retryAfter,
                                settings.retry().backoffNanos(a.attempts, random.nextDouble()));
                LOG.info(
                        "Job {}: caption request failed ({}), attempt {} of {}, retrying in {}"
                                + " ms",
                        a.request.jobId(),
                        f.message(),
                        a.attempts,
                        settings.retry().maxAttempts(),
                        delay / 1_000_000);
                dispatcher.schedule(
                        () -> {
                            ep.queue.addFirst(a);
                            pump(ep);
                        },
                        delay,
                        TimeUnit.NANOSECONDS);
            } else {
                LOG.warn(
                        "Job {}: caption request failed after {} attempts: {}",
                        a.request.jobId(),
                        a.attempts,
                        f.message());
                finish(
                        a,
                        CaptionStatus.FAILED,
                        (f.retryable() ? "failed after " + a.attempts + " attempts: " : "")
                                + f.message());
            }
        }
        pump(ep);
    }

    private void succeed(Attempt a, List<ReplyParser.Parsed> parsed) {
        Request r = a.request;
        List<FrameCaption> captions = new ArrayList<>();
        Map<CacheKey, CachedCaption> toCache = new HashMap<>();
        List<FrameUsage> usage = new ArrayList<>();
        int frames = 0;
        for (int i = 0; i < a.items.size(); i++) {
            Unique u = a.items.get(i);
            ReplyParser.Parsed p = parsed.get(i);
            long in = share(a.spentInput, a.items.size(), i);
            long out = share(a.spentOutput, a.items.size(), i);
            toCache.put(
                    u.key(),
                    new CachedCaption(p.caption(), p.tags(), p.objects(), p.text(), in, out));
            boolean first = true;
            for (long index : u.frameIndexes()) {
                // A repeated image in the same call was paid for once, by its first frame.
                captions.add(
                        new FrameCaption(
                                index,
                                CaptionStatus.OK,
                                p.caption(),
                                p.tags(),
                                p.objects(),
                                p.text(),
                                r.model(),
                                r.prompt().hash(),
                                first ? in : 0,
                                first ? out : 0,
                                false,
                                null));
                if (first) {
                    usage.add(new FrameUsage(index, r.model(), in, out, cost(r, in, out)));
                }
                first = false;
                frames++;
            }
        }
        r.budget().paid(frames);
        io.execute(
                () -> {
                    store(r.jobId(), toCache, usage);
                    a.done.complete(captions);
                });
    }

    private void finish(Attempt a, CaptionStatus status, String error) {
        Request r = a.request;
        List<FrameCaption> captions = new ArrayList<>();
        List<FrameUsage> usage = new ArrayList<>();
        for (int i = 0; i < a.items.size(); i++) {
            Unique u = a.items.get(i);
            long in = share(a.spentInput, a.items.size(), i);
            long out = share(a.spentOutput, a.items.size(), i);
            if (in + out > 0) {
                usage.add(
                        new FrameUsage(
                                u.frameIndexes().get(0), r.model(), in, out, cost(r, in, out)));
            }
            for (long index : u.frameIndexes()) {
                captions.add(
                        FrameCaption.notCaptioned(
                                index, status, r.model(), r.prompt().hash(), error));
            }
        }
        if (status == CaptionStatus.SKIPPED_BUDGET) {
            r.budget().skipped(captions.size());
        }
        io.execute(
                () -> {
                    store(r.jobId(), Map.of(), usage);
                    a.done.complete(captions);
                });
    }

    private void store(
            String jobId, Map<CacheKey, CachedCaption> captions, List<FrameUsage> usage) {
        try {
            cache.putAll(captions);
            ledger.record(jobId, usage);
        } catch (RuntimeException e) {
            // The captions are good; a replay would only pay for them again.
            LOG.warn("Job {}: could not store captions or their usage: {}", jobId, e.toString());
        }
    }

    private Estimate estimate(Endpoint ep, Attempt a) {
        int n = a.items.size();
        long[] learned = ep.learned.get(a.request.model());
        long perImage = learned == null ? settings.estimatedTokensPerImage() : learned[0];
        long perFrameOut = learned == null ? settings.estimatedOutputTokensPerFrame() : learned[1];
        String text =
                a.correction == null
                        ? a.request.prompt().forImages(n)
                        : a.request.prompt().correcting(n, a.correction);
        return new Estimate(text.length() / 4 + 1 + n * perImage, n * perFrameOut);
    }

    /**
     * Keeps the largest per-image cost seen for the model, so estimates (what the rate limiter and
     * budget reserve) stay at or above what requests really cost once one has been seen.
     */
    private void learn(Endpoint ep, Attempt a, ModelReply reply) {
        int n = a.items.size();
        long text = a.request.prompt().estimatedTextTokens(n);
        long perImage = Math.max(1, ceilDiv(Math.max(0, reply.inputTokens() - text), n));
        long perFrameOut = Math.max(1, ceilDiv(reply.outputTokens(), n));
        ep.learned.merge(
                a.request.model(),
                new long[] {perImage, perFrameOut},
                (old, now) -> new long[] {Math.max(old[0], now[0]), Math.max(old[1], now[1])});
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long share(long total, int parts, int i) {
        return total / parts + (i < total % parts ? 1 : 0);
    }

    private static double cost(Request r, long in, long out) {
        return r.price() == null ? 0 : r.price().costUsd(in, out);
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One provider's endpoint: its limits, breaker, models and queue of requests. */
    private final class Endpoint {
        final String provider;
        final EndpointSettings settings;
        final RateLimiter limiter;
        final CircuitBreaker breaker;
        final java.net.http.HttpClient http;
        final Map<String, VisionModel> models = new ConcurrentHashMap<>();
        final Map<String, long[]> learned = new HashMap<>();
        final Deque<Attempt> queue = new ArrayDeque<>();
        int inFlight;
        long pausedUntil;
        Long wakeupAt;

        Endpoint(String provider, EndpointSettings settings) {
            this.provider = provider;
            this.settings = settings;
            this.limiter = new RateLimiter(settings.rateLimit(), ticker);
            this.breaker = new CircuitBreaker(Captioner.this.settings.breaker(), ticker);
            this.http =
                    java.net.http.HttpClient.newBuilder()
                            .connectTimeout(settings.timeout())
                            .executor(calls)
                            .build();
            this.pausedUntil = ticker.nanos();
        }

        VisionModel model(String name) {
            return models.computeIfAbsent(
                    name,
                    m -> {
                        String key =
                                settings.apiKeyEnv() == null
                                        ? null
                                        : environment.apply(settings.apiKeyEnv());
                        return LangChainVisionModel.create(
                                provider,
                                m,
                                settings,
                                key == null || key.isBlank() ? null : key,
                                http);
                    });
        }
    }

    /** What one caption call asked for, resolved once. */
    private record Request(
            String jobId,
            String model,
            String cacheModel,
            CaptionPrompt prompt,
            int framesPerRequest,
            Endpoint endpoint,
            VisionModel vision,
            JobBudget budget,
            ModelPrice price) {}

    /** One distinct image and the frames that showed it. */
    private record Unique(CacheKey key, byte[] jpeg, List<Long> frameIndexes) {}

    /** What a call is expected to cost, reserved before it starts. */
    private record Estimate(long input, long output) {
        long total() {
            return input + output;
        }
    }

    /** How a call came back: parsed, malformed (with why) or failed. */
    private record Outcome(
            ModelReply reply, List<ReplyParser.Parsed> parsed, String malformed, Failure failure) {}

    /** One batch's request, through its retries. */
    private static final class Attempt {
        final Request request;
        final List<Unique> items;
        final CompletableFuture<List<FrameCaption>> done = new CompletableFuture<>();
        int attempts;
        String correction;
        long spentInput;
        long spentOutput;

        Attempt(Request request, List<Unique> items) {
            this.request = request;
            this.items = List.copyOf(items);
        }
    }
}
