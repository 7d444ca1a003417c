package dev.vidprocme.bench;

import dev.vidprocme.analysis.caption.CaptionFrame;
import dev.vidprocme.analysis.caption.CaptionSettings;
import dev.vidprocme.analysis.caption.CaptionStatus;
import dev.vidprocme.analysis.caption.Captioner;
import dev.vidprocme.analysis.caption.EndpointSettings;
import dev.vidprocme.analysis.caption.FrameCaption;
import dev.vidprocme.analysis.caption.InMemoryCaptionCache;
import dev.vidprocme.analysis.caption.InMemoryUsageLedger;
import dev.vidprocme.analysis.caption.JobBudget;
import dev.vidprocme.analysis.caption.RateLimit;
import dev.vidprocme.analysis.caption.Ticker;
import dev.vidprocme.embedded.FakeVisionLlm;
import dev.vidprocme.records.CaptionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Vision-LLM captions against a local endpoint with a fixed latency: achieved frames/s as a ratio
 * to the configured limit (concurrency × frames per request ÷ latency), and the most requests and
 * tokens the endpoint saw in any rate-limit window against the limit, in three runs: concurrency
 * binding, the request rate binding, the token rate binding.
 */
public final class CaptionThroughputBenchmark {
    private static final int PROMPT_BASE = 20;
    private static final int PROMPT_PER_IMAGE = 100;
    private static final int COMPLETION_PER_IMAGE = 30;

    private final Duration latency;
    private final int concurrency;
    private final int perRequest;
    private final int frames;
    private final int imageBytes;
    private final int reps;

    private CaptionThroughputBenchmark(Map<String, String> options) {
        this.latency = Duration.ofMillis(Bench.intOption(options, "latency-ms", 300));
        this.concurrency = Bench.intOption(options, "concurrency", 8);
        this.perRequest = Bench.intOption(options, "frames-per-request", 4);
        this.frames = Bench.intOption(options, "frames", 800);
        this.imageBytes = Bench.intOption(options, "image-kb", 30) * 1024;
        this.reps = Bench.intOption(options, "reps", 3);
    }

    public static void main(String[] args) {
        Bench.main(
                args,
                "captions",
                (options, work) -> new CaptionThroughputBenchmark(options).run(),
                "latency-ms",
                "concurrency",
                "frames-per-request",
                "frames",
                "image-kb",
                "reps",
                "tmp");
    }

    private void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "Fake endpoint latency %d ms, %d KB images, %d frames per request; load %.2f%n",
                latency.toMillis(),
                imageBytes / 1024,
                perRequest,
                Bench.loadAverage());

        // Baseline: one request at a time, the round trip this machine really gives.
        double roundTripS = baseline();
        System.out.printf(
                Locale.ROOT,
                "baseline: one request of %d frames takes %.3f s (fixed latency %.3f s)%n%n",
                perRequest,
                roundTripS,
                latency.toMillis() / 1000.0);

        // 1. Concurrency binds: rate limits far above what it allows. One unmeasured run first,
        // so the measured ones run on compiled code.
        RateLimit loose = RateLimit.perMinute(100_000, 1_000_000_000L);
        measure(concurrency, loose, Math.min(frames, 200));
        double limit = concurrency * perRequest / (latency.toMillis() / 1000.0);
        double measuredLimit = concurrency * perRequest / roundTripS;
        double[] ratios = new double[reps];
        Result open = null;
        for (int rep = 0; rep < reps; rep++) {
            open = measure(concurrency, loose, frames);
            ratios[rep] = open.framesPerSecond() / limit;
            System.out.printf(
                    Locale.ROOT,
                    "concurrency-bound run %d: %d frames in %.2f s = %.1f frames/s; limit %d x %d"
                            + " / %.3f s = %.1f frames/s; ratio %.3f (%.3f against the measured"
                            + " round trip); %d requests in flight at most (limit %d); %d failed;"
                            + " load %.2f%n",
                    rep + 1,
                    frames,
                    open.seconds,
                    open.framesPerSecond(),
                    concurrency,
                    perRequest,
                    latency.toMillis() / 1000.0,
                    limit,
                    ratios[rep],
                    open.framesPerSecond() / measuredLimit,
                    open.maxConcurrent,
                    concurrency,
                    open.notOk,
                    Bench.loadAverage());
        }
        System.out.printf(
                Locale.ROOT,
                "concurrency-bound: median ratio %.3f (min %.3f, max %.3f) over %d runs%n",
                Bench.median(ratios),
                Bench.min(ratios),
                Bench.max(ratios),
                reps);

        // 2. The request rate binds.
        Duration window = Duration.ofSeconds(2);
        int requestsPerWindow = 16;
        int rateFrames = Math.min(frames, 400);
        Result byRequests =
                measure(
                        concurrency,
                        new RateLimit(requestsPerWindow, 1_000_000_000L, window),
                        rateFrames);
        double requestLimit = requestsPerWindow * perRequest / (window.toMillis() / 1000.0);
        System.out.printf(
                Locale.ROOT,
                "request-rate-bound (%d requests per %d s): %.1f frames/s, %.3f of the %.1f"
                    + " frames/s the limit allows; at most %d requests in any %d s window at the"
                    + " endpoint (limit %d); %d failed%n",
                requestsPerWindow,
                window.toSeconds(),
                byRequests.framesPerSecond(),
                byRequests.framesPerSecond() / requestLimit,
                requestLimit,
                byRequests.maxRequestsInWindow,
                window.toSeconds(),
                requestsPerWindow,
                byRequests.notOk);

        // 3. The token rate binds: requests are cheap enough, tokens are not.
        long tokensPerWindow = 4_000;
        long tokensPerRequest =
                PROMPT_BASE + (long) (PROMPT_PER_IMAGE + COMPLETION_PER_IMAGE) * perRequest;
        Result byTokens =
                measure(concurrency, new RateLimit(100_000, tokensPerWindow, window), rateFrames);
        double tokenLimit =
                tokensPerWindow
                        / (double) tokensPerRequest
                        * perRequest
                        / (window.toMillis() / 1000.0);
        System.out.printf(
                Locale.ROOT,
                "token-rate-bound (%d tokens per %d s, %d tokens a request): %.1f frames/s, %.3f of"
                    + " the %.1f frames/s the limit allows; at most %d tokens in any %d s window at"
                    + " the endpoint (limit %d); %d failed%n",
                tokensPerWindow,
                window.toSeconds(),
                tokensPerRequest,
                byTokens.framesPerSecond(),
                byTokens.framesPerSecond() / tokenLimit,
                tokenLimit,
                byTokens.maxTokensInWindow,
                window.toSeconds(),
                tokensPerWindow,
                byTokens.notOk);

        boolean ok =
                byRequests.maxRequestsInWindow <= requestsPerWindow
                        && byTokens.maxTokensInWindow <= tokensPerWindow
                        && open.notOk + byRequests.notOk + byTokens.notOk == 0;
        System.out.println(
                ok ? "limits held, every frame captioned" : "LIMIT EXCEEDED OR FRAMES FAILED");
        if (!ok) {
            throw new IllegalStateException("a rate limit was exceeded or frames failed");
        }
    }

    private double baseline() throws Exception {
        try (FakeVisionLlm fake = fake()) {
            try (Captioner captioner =
                    captioner(fake, 1, RateLimit.perMinute(100_000, 1_000_000_000L))) {
                caption(captioner, images(perRequest, 1)); // warms up the JIT and the connection
                int rounds = 5;
                long start = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    caption(captioner, images(perRequest, 100 + i));
                }
                return Bench.seconds(System.nanoTime() - start) / rounds;
            }
        }
    }

    private Result measure(int concurrency, RateLimit limit, int count) throws Exception {
        try (FakeVisionLlm fake = fake();
                Captioner captioner = captioner(fake, concurrency, limit)) {
            List<CaptionFrame> batch = images(count, 1_000);
            long start = System.nanoTime();
            List<FrameCaption> captions = caption(captioner, batch);
            double seconds = Bench.seconds(System.nanoTime() - start);
            return new Result(
                    count,
                    seconds,
                    captions.stream().filter(c -> c.status() != CaptionStatus.OK).count(),
                    fake.maxConcurrentRequests(),
                    fake.maxRequestsInAnyWindow(limit.window()),
                    fake.maxTokensInAnyWindow(limit.window()));
        }
    }

    private FakeVisionLlm fake() {
        return FakeVisionLlm.start()
                .latency(latency)
                .usage(PROMPT_BASE, PROMPT_PER_IMAGE, COMPLETION_PER_IMAGE);
    }

    private Captioner captioner(FakeVisionLlm fake, int concurrency, RateLimit limit) {
        CaptionSettings settings =
                CaptionSettings.defaults()
                        .withEndpoint(
                                CaptionSettings.OPENAI,
                                new EndpointSettings(
                                        fake.openAiBaseUrl(),
                                        null,
                                        latency.multipliedBy(10),
                                        concurrency,
                                        limit))
                        // Close to the real cost, so the first requests are not held back long.
                        .withTokenEstimates(PROMPT_PER_IMAGE + 50, COMPLETION_PER_IMAGE + 10);
        return new Captioner(
                settings,
                new InMemoryCaptionCache(),
                new InMemoryUsageLedger(),
                Map.<String, String>of()::get,
                Ticker.system());
    }

    private List<FrameCaption> caption(Captioner captioner, List<CaptionFrame> batch)
            throws Exception {
        return captioner
                .caption(
                        "bench",
                        batch,
                        new CaptionSpec(
                                CaptionSettings.OPENAI, "bench-model", null, perRequest, null),
                        JobBudget.unlimited())
                .get(10, TimeUnit.MINUTES);
    }

    /** Distinct random blobs the size of a small JPEG: every one a cache miss. */
    private List<CaptionFrame> images(int count, long seed) {
        Random random = new Random(seed);
        List<CaptionFrame> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[imageBytes];
            random.nextBytes(bytes);
            list.add(new CaptionFrame(i, bytes));
        }
        return list;
    }

    /** One measured run. */
    private record Result(
            int frames,
            double seconds,
            long notOk,
            int maxConcurrent,
            int maxRequestsInWindow,
            long maxTokensInWindow) {
        double framesPerSecond() {
            return frames / seconds;
        }
    }
}
