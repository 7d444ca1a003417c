package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.embedded.FakeVisionLlm;
import dev.vidprocme.functions.Backends;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.media.scene.SceneClips;
import dev.vidprocme.records.AnalysisSpec;
import dev.vidprocme.records.CaptionSpec;
import dev.vidprocme.records.FrameAnalysis;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.spec.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vision-LLM captions through the whole graph, against a local server speaking the OpenAI
 * chat-completions protocol: captions are stored per analysis frame and searchable, a re-run of the
 * same video asks the model nothing, an endpoint that keeps failing leaves the job COMPLETED with
 * its captions marked failed, and a token budget stops the calls and says so.
 */
class CaptionsITCase {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path temp;
    static Path clips;
    static FakeVisionLlm model;
    static TestJobs jobs;
    static JobClient pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        clips = Files.createDirectories(temp.resolve("clips"));
        model = FakeVisionLlm.start();
        TestPipelines.Setup setup =
                TestPipelines.setup(
                        "captions",
                        temp,
                        List.of(clips),
                        Map.of(
                                "vidproc.segment.target", "4 s",
                                "vidproc.caption.openai.base-url", model.openAiBaseUrl(),
                                "vidproc.retry.initial-backoff", "50 ms",
                                "vidproc.retry.max-backoff", "200 ms"));
        pipeline = TestPipelines.run(setup, Backends.production(), "vidprocme-captions-it");
        jobs = setup.jobs();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        TestPipelines.stop(pipeline, jobs);
        if (model != null) {
            model.close();
        }
    }

    @Test
    void captionsAnalysisFramesAndARerunAsksTheModelNothing() throws Exception {
        model.healthy();
        Path clip = SceneClips.transitions(clips.resolve("rerun.mp4"), 320, 180);
        String first = jobs.upload(clip, captions(null));

        JobRow job = jobs.awaitTerminal(first, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        List<FrameAnalysis> captions = captionsOf(first);
        assertThat(captions).isNotEmpty();
        for (FrameAnalysis caption : captions) {
            JsonNode result = Json.mapper().readTree(caption.resultJson());
            assertThat(result.get("status").asText()).isEqualTo("OK");
            assertThat(caption.body()).isNotBlank();
            assertThat(caption.embedding()).hasSize(384);
        }
        JsonNode summary = Json.mapper().readTree(job.analysisJson());
        assertThat(summary.get("captioned").asInt()).isEqualTo(captions.size());
        assertThat(summary.get("tokens").asLong()).isPositive();
        int calls = model.requestCount();
        assertThat(calls).isPositive();

        String again = jobs.upload(clip, captions(null));
        JobRow rerun = jobs.awaitTerminal(again, JOB_TIMEOUT);

        assertThat(rerun.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(captionsOf(again)).hasSameSizeAs(captions);
        assertThat(model.requestCount()).as("requests after the re-run").isEqualTo(calls);
        assertThat(Json.mapper().readTree(rerun.analysisJson()).get("tokens").asLong())
                .as("cache hits cost nothing")
                .isZero();
    }

    @Test
    void anEndpointThatKeepsFailingLeavesTheJobCompletedWithFailedCaptions() throws Exception {
        model.failEveryRequest(FakeVisionLlm.Fault.garbage());
        try {
            Path clip = SceneClips.transitions(clips.resolve("garbage.mp4"), 352, 192);
            String id = jobs.upload(clip, captions(null));

            JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

            assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
            List<FrameAnalysis> captions = captionsOf(id);
            assertThat(captions).isNotEmpty();
            for (FrameAnalysis caption : captions) {
                assertThat(Json.mapper().readTree(caption.resultJson()).get("status").asText())
                        .isEqualTo("FAILED");
            }
            JsonNode summary = Json.mapper().readTree(job.analysisJson());
            assertThat(summary.get("captionsFailed").asInt()).isEqualTo(captions.size());
            assertThat(summary.get("captioned").asInt()).isZero();
        } finally {
            model.healthy();
        }
    }

    @Test
    void aTokenBudgetStopsTheCallsAndTheJobSaysSo() throws Exception {
        model.healthy();
        Path clip = SceneClips.transitions(clips.resolve("budget.mp4"), 384, 216);
        String id = jobs.upload(clip, captions(1L));

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        JsonNode summary = Json.mapper().readTree(job.analysisJson());
        assertThat(summary.get("captionsFailed").asInt()).isPositive();
        assertThat(summary.get("note").asText()).contains("budget");
    }

    private static List<FrameAnalysis> captionsOf(String id) throws Exception {
        return jobs.analyses(id).stream()
                .filter(a -> a.analyser().equals(FrameAnalysis.CAPTION))
                .toList();
    }

    private static JobSpec captions(Long maxTokens) {
        return new JobSpec(
                null,
                null,
                null,
                null,
                new AnalysisSpec(
                        false,
                        false,
                        null,
                        new CaptionSpec("openai", "fake-vision", null, 2, null),
                        maxTokens,
                        null),
                null,
                null,
                null);
    }
}
