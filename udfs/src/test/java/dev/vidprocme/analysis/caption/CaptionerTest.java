package dev.vidprocme.analysis.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vidprocme.embedded.FakeVisionLlm;
import dev.vidprocme.embedded.FakeVisionLlm.Fault;
import dev.vidprocme.embedded.FakeVisionLlm.Received;
import dev.vidprocme.records.AnalysisSpec;
import dev.vidprocme.records.CaptionSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The captioner against a local server speaking the OpenAI and Ollama chat protocols. */
class CaptionerTest {
    // Long enough that no ordinary reply on a loaded machine times out and skews a request count.
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final CaptionSpec OPENAI = new CaptionSpec("openai", "gpt-test", null, 1, null);

    private final TestingTicker ticker = TestingTicker.offsetFromSystem();
    private final InMemoryCaptionCache cache = new InMemoryCaptionCache();
    private final InMemoryUsageLedger ledger = new InMemoryUsageLedger();
    private FakeVisionLlm fake;
    private Captioner captioner;

    @BeforeEach
    void start() {
        // Every request of n images reports 20 + 100n prompt and 30n completion tokens.
        fake = FakeVisionLlm.start().usage(20, 100, 30);
    }

    @AfterEach
    void stop() {
        if (captioner != null) {
            captioner.close();
        }
        fake.close();
    }

    @Test
    void batchesFramesAndGivesEachFrameTheAnswerForItsOwnImage() throws Exception {
        captioner = captioner(settings(4, RateLimit.perMinute(1000, 10_000_000)));
        List<CaptionFrame> frames = frames("batch", 10);

        List<FrameCaption> captions =
                caption("job-1", frames, new CaptionSpec("openai", "gpt-test", null, 4, null));

        assertThat(fake.requests().stream().map(r -> r.images().size()).sorted())
                .containsExactly(2, 4, 4);
        for (int i = 0; i < frames.size(); i++) {
            byte[] jpeg = frames.get(i).jpeg();
            FrameCaption c = captions.get(i);
            assertThat(c.frameIndex()).isEqualTo(i);
            assertThat(c.status()).isEqualTo(CaptionStatus.OK);
            assertThat(c.caption()).isEqualTo(FakeVisionLlm.captionFor(jpeg));
            assertThat(c.tags()).isEqualTo(FakeVisionLlm.tagsFor(jpeg));
            assertThat(c.objects()).isEqualTo(FakeVisionLlm.objectsFor(jpeg));
            assertThat(c.text()).isEqualTo(FakeVisionLlm.textFor(jpeg));
            assertThat(c.cached()).isFalse();
            assertThat(c.model()).isEqualTo("gpt-test");
        }
        // Two requests of 4 (420 + 120 tokens each) and one of 2 (220 + 60), split per frame.
        assertThat(captions.stream().mapToLong(FrameCaption::inputTokens).sum()).isEqualTo(1060);
        assertThat(captions.stream().mapToLong(FrameCaption::outputTokens).sum()).isEqualTo(300);
        assertThat(ledger.totalFor("job-1")).isEqualTo(new Usage(1060, 300, 0, 10));
    }

    @Test
    void asksOnlyForTheFieldsTheSpecNamesWithItsPrompt() throws Exception {
        captioner = captioner(settings(2, RateLimit.perMinute(1000, 10_000_000)));
        CaptionSpec spec =
                new CaptionSpec(
                        "openai", "gpt-test", "Name the sport.", 1, List.of("caption", "text"));

        FrameCaption c = caption("job", frames("fields", 1), spec).get(0);

        assertThat(c.caption()).isNotNull();
        assertThat(c.text()).isNotNull();
        assertThat(c.tags()).isNull();
        assertThat(c.objects()).isNull();
        String sent = fake.requests().get(0).text();
        assertThat(sent).startsWith("Name the sport.").contains("\"caption\"").contains("\"text\"");
        assertThat(sent).doesNotContain("\"tags\"");
    }

    @Test
    void ollamaWorksTheSameWay() throws Exception {
        captioner = captioner(settings(2, RateLimit.perMinute(1000, 10_000_000)));
        List<CaptionFrame> frames = frames("ollama", 3);

        List<FrameCaption> captions =
                caption("job", frames, new CaptionSpec("ollama", "llava", null, 3, null));

        assertThat(fake.requests())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.protocol()).isEqualTo(FakeVisionLlm.Protocol.OLLAMA);
                            assertThat(r.model()).isEqualTo("llava");
                        });
        for (int i = 0; i < 3; i++) {
            assertThat(captions.get(i).caption())
                    .isEqualTo(FakeVisionLlm.captionFor(frames.get(i).jpeg()));
        }
        // prompt_eval_count 320 and eval_count 90, from the Ollama reply.
        assertThat(captions.stream().mapToLong(FrameCaption::inputTokens).sum()).isEqualTo(320);
        assertThat(captions.stream().mapToLong(FrameCaption::outputTokens).sum()).isEqualTo(90);
    }

    @Test
    void theApiKeyComesFromTheEnvironmentVariableTheSettingsName() throws Exception {
        captioner =
                new Captioner(
                        settings(1, RateLimit.perMinute(1000, 10_000_000)),
                        cache,
                        ledger,
                        Map.of("VIDPROC_OPENAI_API_KEY", "sk-from-env")::get,
                        ticker);

        caption("job", frames("key", 1), OPENAI);

        assertThat(fake.requests().get(0).authorization()).isEqualTo("Bearer sk-from-env");
    }

    @Test
    void retryAfterHoldsBackTheNextRequest() throws Exception {
        captioner = captioner(settings(2, RateLimit.perMinute(1000, 10_000_000)));
        fake.enqueue(Fault.tooManyRequests(Duration.ofSeconds(1)));

        List<FrameCaption> captions = caption("job", frames("429", 1), OPENAI);

        assertThat(captions.get(0).status()).isEqualTo(CaptionStatus.OK);
        List<Received> requests = fake.requests();
        assertThat(requests).extracting(Received::status).containsExactly(429, 200);
        assertThat(requests.get(1).arrivalNanos() - requests.get(0).arrivalNanos())
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void serverErrorsSlowRepliesDroppedConnectionsAndBadBodiesAreRetried() throws Exception {
        captioner =
                captioner(
                        settings(1, RateLimit.perMinute(1000, 10_000_000))
                                .withRetry(
                                        new RetrySettings(
                                                5,
                                                Duration.ofMillis(20),
                                                Duration.ofMillis(200),
                                                0.5)));
        fake.enqueue(
                Fault.serverError(),
                Fault.slow(TIMEOUT.multipliedBy(3)),
                Fault.drop(),
                Fault.badBody());

        FrameCaption c = caption("job", frames("transient", 1), OPENAI).get(0);

        assertThat(c.status()).isEqualTo(CaptionStatus.OK);
        assertThat(fake.requestCount()).isEqualTo(5);
    }

    @Test
    void aFailureThatOutlastsTheRetriesFailsTheFramesAndSaysWhy() throws Exception {
        captioner = captioner(settings(1, RateLimit.perMinute(1000, 10_000_000)));
        fake.failEveryRequest(Fault.status(503));

        FrameCaption c = caption("job", frames("down", 1), OPENAI).get(0);

        assertThat(c.status()).isEqualTo(CaptionStatus.FAILED);
        assertThat(c.error()).startsWith("failed after 4 attempts: HTTP 503");
        assertThat(fake.requestCount()).isEqualTo(4);
    }

    @Test
    void aClientErrorIsNotRetried() throws Exception {
        captioner = captioner(settings(1, RateLimit.perMinute(1000, 10_000_000)));
        fake.enqueue(Fault.status(400));

        FrameCaption c = caption("job", frames("400", 1), OPENAI).get(0);

        assertThat(c.status()).isEqualTo(CaptionStatus.FAILED);
        assertThat(c.error()).startsWith("HTTP 400");
        assertThat(fake.requestCount()).isEqualTo(1);
    }

    @Test
    void aMalformedReplyIsAskedAgainOnceWithTheError() throws Exception {
        captioner = captioner(settings(1, RateLimit.perMinute(1000, 10_000_000)));
        fake.enqueue(Fault.garbage());

        FrameCaption c = caption("job", frames("garbage", 1), OPENAI).get(0);

        assertThat(c.status()).isEqualTo(CaptionStatus.OK);
        List<Received> requests = fake.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).text()).doesNotContain("previous reply");
        assertThat(requests.get(1).text())
                .contains("Your previous reply was not valid: the reply is not valid JSON");
        // Both calls were paid for.
        assertThat(c.inputTokens()).isEqualTo(240);
    }

    @Test
    void aReplyMalformedTwiceFailsItsFrames() throws Exception {
        captioner = captioner(settings(1, RateLimit.perMinute(1000, 10_000_000)));
        fake.enqueue(Fault.wrongLength(), Fault.wrongLength());

        List<FrameCaption> captions =
                caption("job", frames("short", 3), new CaptionSpec("openai", "m", null, 3, null));

        assertThat(captions)
                .allSatisfy(
                        c -> {
                            assertThat(c.status()).isEqualTo(CaptionStatus.FAILED);
                            assertThat(c.error())
                                    .isEqualTo(
                                            "the model's reply was malformed twice: the array must"
                                                    + " have exactly 3 objects, one per image, but"
                                                    + " has 2");
                        });
        assertThat(fake.requestCount()).isEqualTo(2);
        assertThat(fake.requests().get(1).text()).contains("but has 2");
    }

    @Test
    void theCircuitBreakerStopsCallingAFailingEndpointAndRecoversByItself() throws Exception {
        CaptionSettings settings =
                settings(1, RateLimit.perMinute(1000, 10_000_000))
                        .withRetry(new RetrySettings(1, Duration.ZERO, Duration.ZERO, 0))
                        .withBreaker(new BreakerSettings(3, Duration.ofMinutes(5)));
        captioner = captioner(settings);
        fake.failEveryRequest(Fault.serverError());

        List<FrameCaption> first = caption("job", frames("breaker", 5), OPENAI);

        assertThat(first)
                .extracting(FrameCaption::status)
                .containsExactly(
                        CaptionStatus.FAILED,
                        CaptionStatus.FAILED,
                        CaptionStatus.FAILED,
                        CaptionStatus.CIRCUIT_OPEN,
                        CaptionStatus.CIRCUIT_OPEN);
        assertThat(first.get(4).error()).contains("failed 3 times in a row");
        assertThat(fake.requestCount()).isEqualTo(3);
        assertThat(captioner.breakerState("openai")).isEqualTo(CircuitBreaker.State.OPEN);

        fake.healthy();
        assertThat(caption("job", frames("still-open", 2), OPENAI))
                .extracting(FrameCaption::status)
                .containsOnly(CaptionStatus.CIRCUIT_OPEN);
        assertThat(fake.requestCount()).isEqualTo(3);

        ticker.advance(Duration.ofMinutes(5));
        assertThat(caption("job", frames("recovered", 2), OPENAI))
                .extracting(FrameCaption::status)
                .containsOnly(CaptionStatus.OK);
        assertThat(fake.requestCount()).isEqualTo(5);
        assertThat(captioner.breakerState("openai")).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aSecondRunOfTheSameFramesMakesNoCallsAndCostsNothing() throws Exception {
        captioner = captioner(settings(2, RateLimit.perMinute(1000, 10_000_000)));
        List<CaptionFrame> frames = frames("replay", 6);
        CaptionSpec spec = new CaptionSpec("openai", "gpt-test", null, 2, null);
        List<FrameCaption> first = caption("job-a", frames, spec);
        int calls = fake.requestCount();

        List<FrameCaption> again = caption("job-b", frames, spec);

        assertThat(fake.requestCount()).isEqualTo(calls).isEqualTo(3);
        assertThat(again).allSatisfy(c -> assertThat(c.cached()).isTrue());
        assertThat(again)
                .extracting(FrameCaption::caption)
                .isEqualTo(first.stream().map(FrameCaption::caption).toList());
        assertThat(again.stream().mapToLong(c -> c.inputTokens() + c.outputTokens()).sum())
                .isZero();
        assertThat(ledger.totalFor("job-b")).isEqualTo(Usage.NONE);

        // Another prompt is another question: it is asked.
        caption("job-b", frames, new CaptionSpec("openai", "gpt-test", "Other", 2, null));
        assertThat(fake.requestCount()).isEqualTo(6);
    }

    @Test
    void identicalFramesAreAskedAboutOnce() throws Exception {
        captioner = captioner(settings(1, RateLimit.perMinute(1000, 10_000_000)));
        byte[] still = "a still frame".getBytes(StandardCharsets.UTF_8);
        List<CaptionFrame> frames =
                List.of(new CaptionFrame(0, still), new CaptionFrame(1, still.clone()));

        List<FrameCaption> captions = caption("job", frames, OPENAI);

        assertThat(fake.requestCount()).isEqualTo(1);
        assertThat(captions)
                .extracting(FrameCaption::caption)
                .containsOnly(FakeVisionLlm.captionFor(still));
    }

    @Test
    void theTokenBudgetStopsCallsAndTheJobSaysSo() throws Exception {
        captioner = captioner(settings(4, RateLimit.perMinute(1000, 10_000_000)));
        AnalysisSpec analysis = new AnalysisSpec(null, null, null, OPENAI, 400L, null);
        JobBudget budget = captioner.budgetFor("job", analysis);

        List<FrameCaption> captions = caption("job", frames("budget", 6), OPENAI, budget);

        // Each call costs 150 tokens: 0, 150 and 300 are under 400, 450 is not.
        assertThat(captions)
                .extracting(FrameCaption::status)
                .containsExactly(
                        CaptionStatus.OK,
                        CaptionStatus.OK,
                        CaptionStatus.OK,
                        CaptionStatus.SKIPPED_BUDGET,
                        CaptionStatus.SKIPPED_BUDGET,
                        CaptionStatus.SKIPPED_BUDGET);
        assertThat(fake.requestCount()).isEqualTo(3);
        assertThat(budget.message())
                .hasValue(
                        "caption budget of 400 tokens reached after 3 captioned frames (450"
                                + " tokens used); 3 frames were not captioned");

        // The job restarts: its budget starts from the usage recorded, and nothing is called.
        JobBudget restarted = captioner.budgetFor("job", analysis);
        assertThat(restarted.reached()).isTrue();
        assertThat(caption("job", frames("more", 2), OPENAI, restarted))
                .extracting(FrameCaption::status)
                .containsOnly(CaptionStatus.SKIPPED_BUDGET);
        assertThat(fake.requestCount()).isEqualTo(3);
    }

    @Test
    void aCostCapUsesThePriceTable() throws Exception {
        // 1000 USD per million tokens both ways: a 150-token call costs 0.15 USD.
        captioner =
                captioner(
                        settings(1, RateLimit.perMinute(1000, 10_000_000))
                                .withPrices(Map.of("gpt-test", new ModelPrice(1000, 1000))));
        JobBudget budget =
                captioner.budgetFor("job", new AnalysisSpec(null, null, null, OPENAI, null, 0.25));

        List<FrameCaption> captions = caption("job", frames("cost", 4), OPENAI, budget);

        assertThat(captions.stream().filter(c -> c.status() == CaptionStatus.OK)).hasSize(2);
        assertThat(budget.message().orElseThrow())
                .startsWith("caption budget of 0.2500 USD reached after 2 captioned frames");
        assertThat(ledger.totalFor("job").costUsd())
                .isCloseTo(0.30, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aCostCapForAModelWithoutAPriceIsRefused() {
        captioner = captioner(settings(1, RateLimit.perMinute(1000, 10_000_000)));

        assertThatThrownBy(
                        () ->
                                captioner.budgetFor(
                                        "job",
                                        new AnalysisSpec(null, null, null, OPENAI, null, 1.0)))
                .isInstanceOf(CaptionConfigException.class)
                .hasMessageContaining("no price for model 'gpt-test'");
    }

    @Test
    void theRequestRateLimitIsNeverExceededAtTheEndpoint() throws Exception {
        Duration window = Duration.ofSeconds(1);
        captioner = captioner(settings(4, new RateLimit(5, 10_000_000, window)));

        List<FrameCaption> captions = caption("job", frames("rpm", 16), OPENAI);

        assertThat(captions).extracting(FrameCaption::status).containsOnly(CaptionStatus.OK);
        assertThat(fake.requestCount()).isEqualTo(16);
        // At most the limit, and the limit was what held the requests back.
        assertThat(fake.maxRequestsInAnyWindow(window)).isBetween(4, 5);
    }

    @Test
    void theTokenRateLimitIsNeverExceededAtTheEndpoint() throws Exception {
        Duration window = Duration.ofSeconds(1);
        // Estimates above the real 150 tokens a call: what the limiter reserves before a reply.
        captioner =
                captioner(
                        settings(4, new RateLimit(1000, 600, window)).withTokenEstimates(100, 30));

        List<FrameCaption> captions = caption("job", frames("tpm", 10), OPENAI);

        assertThat(captions).extracting(FrameCaption::status).containsOnly(CaptionStatus.OK);
        assertThat(fake.maxTokensInAnyWindow(window)).isLessThanOrEqualTo(600).isGreaterThan(0);
        assertThat(fake.maxRequestsInAnyWindow(window)).isLessThanOrEqualTo(4);
    }

    @Test
    void noMoreRequestsAreInFlightThanTheConcurrencyLimit() throws Exception {
        fake.latency(Duration.ofMillis(400));
        captioner = captioner(settings(3, RateLimit.perMinute(1000, 10_000_000)));

        caption("job", frames("concurrency", 12), OPENAI);

        assertThat(fake.maxConcurrentRequests()).isEqualTo(3);
    }

    @Test
    void anUnknownProviderFailsTheCallWithTheKnownOnes() {
        captioner = captioner(settings(1, RateLimit.perMinute(1000, 10_000_000)));

        assertThatThrownBy(
                        () ->
                                caption(
                                        "job",
                                        frames("x", 1),
                                        new CaptionSpec("bard", "m", null, 1, null)))
                .hasCauseInstanceOf(CaptionConfigException.class)
                .hasMessageContaining("'bard'");
    }

    private Captioner captioner(CaptionSettings settings) {
        return new Captioner(settings, cache, ledger, Map.<String, String>of()::get, ticker);
    }

    private CaptionSettings settings(int concurrency, RateLimit limit) {
        return CaptionSettings.defaults()
                .withEndpoint(
                        "openai",
                        new EndpointSettings(
                                fake.openAiBaseUrl(),
                                "VIDPROC_OPENAI_API_KEY",
                                TIMEOUT,
                                concurrency,
                                limit))
                .withEndpoint(
                        "ollama",
                        new EndpointSettings(
                                fake.ollamaBaseUrl(), null, TIMEOUT, concurrency, limit))
                .withRetry(
                        new RetrySettings(4, Duration.ofMillis(20), Duration.ofMillis(200), 0.5));
    }

    private List<FrameCaption> caption(String job, List<CaptionFrame> frames, CaptionSpec spec)
            throws Exception {
        return caption(job, frames, spec, JobBudget.unlimited());
    }

    private List<FrameCaption> caption(
            String job, List<CaptionFrame> frames, CaptionSpec spec, JobBudget budget)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        return captioner.caption(job, frames, spec, budget).get(60, TimeUnit.SECONDS);
    }

    /** Distinct stand-ins for JPEGs: the captioner sends bytes as they are. */
    private static List<CaptionFrame> frames(String seed, int n) {
        List<CaptionFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(
                    new CaptionFrame(i, (seed + " image " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return frames;
    }
}
