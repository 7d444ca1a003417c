package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.functions.Backends;
import dev.vidprocme.io.db.FrameRow;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.io.db.SearchHit;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.media.scene.SceneClips;
import dev.vidprocme.records.FrameAnalysis;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.Scene;
import dev.vidprocme.spec.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real parts: Kafka topic → Flink job on a MiniCluster (parallelism 2) → FFmpeg →
 * blob store + PostgreSQL. One pipeline runs for the class; each test submits its own jobs.
 */
class VideoPipelineITCase {
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
    static TestJobs jobs;
    static JobClient pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        clips = Files.createDirectories(temp.resolve("clips"));
        List<Path> roots = new ArrayList<>(List.of(clips));
        Path shared = TestPipelines.sharedMedia();
        if (shared != null) {
            roots.add(shared.resolve("videos"));
        }
        // Short segments so even the 5 s clips are split and the segment seams are exercised.
        TestPipelines.Setup setup =
                TestPipelines.setup("jobs", temp, roots, Map.of("vidproc.segment.target", "2 s"));
        pipeline = TestPipelines.run(setup, Backends.production(), "vidprocme-it");
        jobs = setup.jobs();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        TestPipelines.stop(pipeline, jobs);
    }

    @Test
    void extractsEveryFrameOfFiveSecondClip() throws Exception {
        Path clip = SyntheticClips.testPattern(clips.resolve("5s.mp4"), 5, 30, 640, 360);
        String id = jobs.upload(clip, JobSpec.defaults());

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.framesExtracted()).isEqualTo(150);
        assertThat(job.progress()).isEqualTo(1.0);
        assertThat(job.video().codec()).isEqualTo("h264");
        assertThat(job.video().width()).isEqualTo(640);
        assertThat(job.video().frameCount()).isEqualTo(150);
        List<FrameRow> frames = jobs.frames(id);
        assertThat(frames).extracting(FrameRow::index).containsExactlyElementsOf(range(150));
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).ptsMs()).isGreaterThan(frames.get(i - 1).ptsMs());
        }
        for (FrameRow frame : frames) {
            BufferedImage image = ImageIO.read(jobs.blobFile(frame.blobKey()).toFile());
            assertThat(image).as("frame %d decodes", frame.index()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(640);
            assertThat(image.getHeight()).isEqualTo(360);
        }
    }

    @Test
    void findsScenesOfAClipWithCutsFadesAndADissolve() throws Exception {
        Path clip = SceneClips.transitions(clips.resolve("transitions.mp4"), 320, 180);
        String id = jobs.upload(clip, JobSpec.defaults());

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        List<Scene> scenes = jobs.scenes(id);
        assertThat(scenes.get(0).kind()).isEqualTo("start");
        for (int i = 0; i < scenes.size(); i++) {
            assertThat(scenes.get(i).index()).isEqualTo(i);
        }
        long frameMs = 1000 / SceneClips.FPS;
        for (long cut : SceneClips.CUTS) {
            long at = cut * frameMs;
            assertThat(scenes)
                    .as("a cut at %d ms, across 2 s segments", at)
                    .anySatisfy(
                            s -> {
                                assertThat(s.kind()).isEqualTo("cut");
                                assertThat(s.startMs())
                                        .isCloseTo(
                                                at, org.assertj.core.data.Offset.offset(frameMs));
                            });
        }
        assertThat(scenes).extracting(Scene::kind).contains("fade", "dissolve");
        for (int i = 1; i < scenes.size(); i++) {
            assertThat(scenes.get(i).startMs()).isEqualTo(scenes.get(i - 1).endMs());
        }
    }

    @Test
    void readsOnScreenTextAndMeasuresAnalysisFramesSearchably() throws Exception {
        // testsrc2 draws the running time; at 720p the default OCR reads it.
        Path clip = SyntheticClips.testPattern(clips.resolve("720p.mp4"), 3, 25, 1280, 720);
        String id = jobs.upload(clip, JobSpec.defaults());

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        List<FrameAnalysis> analyses = jobs.analyses(id);
        // One scene, shorter than analysis.intervalSeconds: its first frame is the analysis frame.
        assertThat(analyses)
                .filteredOn(a -> a.analyser().equals(FrameAnalysis.STATS))
                .extracting(FrameAnalysis::frameIndex)
                .containsExactly(0L);
        FrameAnalysis text =
                analyses.stream()
                        .filter(a -> a.analyser().equals(FrameAnalysis.OCR) && a.frameIndex() == 0)
                        .findFirst()
                        .orElseThrow();
        assertThat(text.body()).contains("00:00:00");
        assertThat(text.embedding()).hasSize(384);
        String word = text.body().split("\\s+")[0];
        assertThat(jobs.searchText(word, id))
                .extracting(SearchHit::frameIndex)
                .first()
                .isEqualTo(0L);
        JsonNode summary = Json.mapper().readTree(job.analysisJson());
        assertThat(summary.get("framesAnalysed").asInt()).isEqualTo(1);
        assertThat(summary.get("framesWithText").asInt()).isEqualTo(1);
    }

    @Test
    void samplesOneFramePerSecond() throws Exception {
        Path clip = SyntheticClips.testPattern(clips.resolve("5s-fps1.mp4"), 5, 30, 640, 360);
        String id =
                jobs.upload(clip, new JobSpec(null, null, new FrameSpec(1.0, null, null), null));

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        List<FrameRow> frames = jobs.frames(id);
        assertThat(frames).extracting(FrameRow::index).containsExactly(0L, 1L, 2L, 3L, 4L);
        for (FrameRow frame : frames) {
            assertThat(frame.ptsMs())
                    .isCloseTo(frame.index() * 1000, org.assertj.core.data.Offset.offset(34L));
        }
    }

    @Test
    void rotatedClipComesOutUpright() throws Exception {
        Path clip = SyntheticClips.rotated(clips.resolve("rotated.mp4"), 1, 30, 640, 360, -90);
        String id = jobs.upload(clip, JobSpec.defaults());

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.video().rotation()).isEqualTo(90);
        FrameRow first = jobs.frames(id).get(0);
        assertThat(first.width()).isEqualTo(360);
        assertThat(first.height()).isEqualTo(640);
        BufferedImage image = ImageIO.read(jobs.blobFile(first.blobKey()).toFile());
        // Coded red-over-blue, turned clockwise: red ends up on the right, blue on the left.
        assertThat(isRed(image.getRGB(300, 320))).isTrue();
        assertThat(isBlue(image.getRGB(60, 320))).isTrue();
    }

    @Test
    void badInputsFailWithTheirOwnCodeAndGoodJobsStillComplete() throws Exception {
        Path empty = Files.createFile(clips.resolve("empty.mp4"));
        Path noise = clips.resolve("noise.mp4");
        byte[] bytes = new byte[64 * 1024];
        new Random(42).nextBytes(bytes);
        Files.write(noise, bytes);
        Path noMoov =
                withoutMoov(
                        SyntheticClips.testPattern(clips.resolve("for-moov.mp4"), 1, 30, 320, 180));
        Path audioOnly =
                SyntheticClips.run(
                        clips.resolve("audio.m4a"),
                        List.of("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(jobs.upload(empty, JobSpec.defaults()), "empty_input");
        expected.put(jobs.upload(noise, JobSpec.defaults()), "unrecognized_format");
        expected.put(jobs.upload(noMoov, JobSpec.defaults()), "mp4_missing_moov");
        expected.put(jobs.upload(audioOnly, JobSpec.defaults()), "no_video_stream");
        expected.put(jobs.byUri("file:///etc/passwd", JobSpec.defaults()), "input_not_allowed");
        jobs.sendRaw("not-json", "{this is not json");
        String good =
                jobs.upload(
                        SyntheticClips.testPattern(clips.resolve("after.mp4"), 1, 30, 320, 180),
                        JobSpec.defaults());

        for (Map.Entry<String, String> e : expected.entrySet()) {
            JobRow job = jobs.awaitTerminal(e.getKey(), JOB_TIMEOUT);
            assertThat(job.status()).isEqualTo(JobStatus.FAILED);
            assertThat(job.errorCode()).isEqualTo(e.getValue());
            assertThat(job.errorMessage()).isNotBlank();
        }
        JobRow after = jobs.awaitTerminal(good, JOB_TIMEOUT);
        assertThat(after.status()).as(after.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        assertThat(after.framesExtracted()).isEqualTo(30);
    }

    @Test
    void sharedMediaFramesMatchWhatFfmpegCounted() throws Exception {
        Path shared = TestPipelines.sharedMedia();
        Assumptions.assumeTrue(
                shared != null,
                "../shared/media is not on this machine; skipping the real-video check");
        JsonNode manifest = Json.mapper().readTree(shared.resolve("MANIFEST.json").toFile());
        Map<String, JsonNode> submitted = new LinkedHashMap<>();
        for (JsonNode file : manifest.get("files")) {
            Path video = shared.resolve("videos").resolve(file.get("file").asText());
            submitted.put(jobs.byUri(video.toUri().toString(), JobSpec.defaults()), file);
        }
        for (Map.Entry<String, JsonNode> e : submitted.entrySet()) {
            JsonNode file = e.getValue();
            String name = file.get("file").asText();
            JobRow job = jobs.awaitTerminal(e.getKey(), JOB_TIMEOUT);
            String expectedFailure = expectedFailure(file);
            if (expectedFailure != null) {
                assertThat(job.status()).as(name).isEqualTo(JobStatus.FAILED);
                assertThat(job.errorCode()).as(name).isEqualTo(expectedFailure);
                continue;
            }
            assertThat(job.status())
                    .as(name + ": " + job.errorMessage())
                    .isEqualTo(JobStatus.COMPLETED);
            JsonNode decode = file.get("ffmpeg_decode");
            if (decode.get("rc").asInt() == 0 && decode.get("error_lines").asInt() == 0) {
                assertThat(job.framesExtracted())
                        .as(name)
                        .isEqualTo(file.get("video").get("nb_frames_counted").asLong());
                assertThat(jobs.frameCount(e.getKey())).as(name).isEqualTo(job.framesExtracted());
            } else {
                assertThat(job.damage()).as(name + " records its damage").isNotBlank();
            }
        }
    }

    private static String expectedFailure(JsonNode file) {
        if (file.get("bytes").asLong() == 0) {
            return "empty_input";
        }
        for (JsonNode category : file.get("categories")) {
            if (category.asText().equals("moov_missing")) {
                return "mp4_missing_moov";
            }
        }
        JsonNode video = file.get("video");
        return video == null
                        || video.isNull()
                        || video.get("codec") == null
                        || video.get("codec").isNull()
                ? "no_video_stream"
                : null;
    }

    /**
     * Rewrites an MP4 keeping only its ftyp and mdat boxes: what an interrupted recording leaves.
     */
    static Path withoutMoov(Path mp4) throws Exception {
        byte[] all = Files.readAllBytes(mp4);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int pos = 0;
        while (pos + 8 <= all.length) {
            int size = java.nio.ByteBuffer.wrap(all, pos, 4).getInt();
            String type = new String(all, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!type.equals("moov")) {
                out.write(all, pos, size);
            }
            pos += size;
        }
        Path target = mp4.resolveSibling("no-moov-" + mp4.getFileName());
        Files.write(target, out.toByteArray());
        return target;
    }

    private static List<Long> range(int n) {
        List<Long> out = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static boolean isRed(int rgb) {
        return ((rgb >> 16) & 0xff) > 180 && (rgb & 0xff) < 80;
    }

    private static boolean isBlue(int rgb) {
        return (rgb & 0xff) > 180 && ((rgb >> 16) & 0xff) < 80;
    }
}
