package dev.vidprocme.analysis.caption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vidprocme.embedded.EmbeddedPostgres;
import dev.vidprocme.embedded.FakeVisionLlm;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.DbSettings;
import dev.vidprocme.records.AnalysisSpec;
import dev.vidprocme.records.CaptionSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caption cache and usage ledger on a real PostgreSQL migrated by Flyway: what makes a replay
 * after a crash, or a re-run of the same video, free.
 */
class JdbcCaptionStoreITCase {
    private static EmbeddedPostgres postgres;
    private static Database database;

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgres.builder().start();
        DbSettings db = new DbSettings(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Database.migrate(db);
        database = Database.connect(db, 4, "caption-store-it");
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void cachedCaptionsComeBackAsStoredAndAnAnswerCanBeOverwritten() {
        JdbcCaptionCache cache = new JdbcCaptionCache(database.dataSource());
        CacheKey full = new CacheKey("aa", "openai:gpt", "p1");
        CacheKey partial = new CacheKey("bb", "openai:gpt", "p1");
        cache.putAll(
                Map.of(
                        full,
                        new CachedCaption("a cat", List.of("cat", "pet"), List.of(), "", 100, 20),
                        partial,
                        new CachedCaption("a dog", null, null, null, 90, 10)));

        Map<CacheKey, CachedCaption> hits =
                cache.getAll(List.of(full, partial, new CacheKey("aa", "openai:gpt", "p2")));

        assertThat(hits)
                .containsOnlyKeys(full, partial)
                .containsEntry(
                        full,
                        new CachedCaption("a cat", List.of("cat", "pet"), List.of(), "", 100, 20))
                .containsEntry(partial, new CachedCaption("a dog", null, null, null, 90, 10));

        cache.putAll(Map.of(full, new CachedCaption("a tabby", null, null, null, 1, 1)));
        assertThat(cache.getAll(List.of(full)).get(full).caption()).isEqualTo("a tabby");
    }

    @Test
    void aReplayOverwritesUsageInsteadOfAddingToIt() {
        JdbcUsageLedger ledger = new JdbcUsageLedger(database.dataSource());
        ledger.record(
                "job-usage",
                List.of(
                        new FrameUsage(0, "gpt", 100, 20, 0.5),
                        new FrameUsage(1, "gpt", 50, 5, 0.25)));
        ledger.record("job-usage", List.of(new FrameUsage(1, "gpt", 60, 6, 0.25)));

        assertThat(ledger.totalFor("job-usage")).isEqualTo(new Usage(160, 26, 0.75, 2));
        assertThat(ledger.totalFor("no-such-job")).isEqualTo(Usage.NONE);
    }

    @Test
    void aRestartedCaptionerPaysNothingForFramesAlreadyAnsweredAndKeepsTheJobsBudget()
            throws Exception {
        try (FakeVisionLlm fake = FakeVisionLlm.start().usage(20, 100, 30)) {
            CaptionSpec spec = new CaptionSpec("openai", "gpt-test", null, 2, null);
            AnalysisSpec analysis = new AnalysisSpec(null, null, null, spec, 10_000L, null);
            List<CaptionFrame> frames = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                frames.add(new CaptionFrame(i, ("restart " + i).getBytes(StandardCharsets.UTF_8)));
            }

            List<FrameCaption> first;
            try (Captioner captioner = captioner(fake)) {
                first =
                        captioner
                                .caption(
                                        "job-restart",
                                        frames,
                                        spec,
                                        captioner.budgetFor("job-restart", analysis))
                                .get(60, TimeUnit.SECONDS);
            }
            assertThat(fake.requestCount()).isEqualTo(3);

            try (Captioner restarted = captioner(fake)) {
                JobBudget budget = restarted.budgetFor("job-restart", analysis);
                assertThat(budget.usedTokens()).isEqualTo(3 * (220 + 60));

                List<FrameCaption> replay =
                        restarted
                                .caption("job-restart", frames, spec, budget)
                                .get(60, TimeUnit.SECONDS);

                assertThat(fake.requestCount()).isEqualTo(3);
                assertThat(replay).allSatisfy(c -> assertThat(c.cached()).isTrue());
                assertThat(replay)
                        .extracting(FrameCaption::caption)
                        .isEqualTo(first.stream().map(FrameCaption::caption).toList());
                assertThat(budget.usedTokens()).isEqualTo(3 * (220 + 60));
            }
        }
    }

    private static Captioner captioner(FakeVisionLlm fake) {
        CaptionSettings settings =
                CaptionSettings.defaults()
                        .withEndpoint(
                                "openai",
                                new EndpointSettings(
                                        fake.openAiBaseUrl(),
                                        null,
                                        Duration.ofSeconds(5),
                                        2,
                                        RateLimit.perMinute(1000, 10_000_000)));
        return new Captioner(
                settings,
                new JdbcCaptionCache(database.dataSource()),
                new JdbcUsageLedger(database.dataSource()),
                Map.<String, String>of()::get,
                Ticker.system());
    }
}
