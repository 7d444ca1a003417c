package dev.vidprocme.job.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.db.JobRow;
import dev.vidprocme.io.db.OutputKind;
import dev.vidprocme.io.db.OutputRow;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.job.testing.Await;
import dev.vidprocme.job.testing.Faults;
import dev.vidprocme.job.testing.FaultyBackends;
import dev.vidprocme.job.testing.TestJobs;
import dev.vidprocme.job.testing.TestPipelines;
import dev.vidprocme.job.testing.TopicReader;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.media.transcode.MediaStreams;
import dev.vidprocme.media.transcode.StreamProbe;
import dev.vidprocme.notify.WebhookSigner;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.FrameMode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.records.OutputSpec;
import dev.vidprocme.records.ThumbnailSpec;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.VideoOutputSpec;
import dev.vidprocme.spec.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transcoding through the real graph: renditions split into parts across subtasks, joined,
 * packaged, verified and published once; thumbnails; per-output progress in the job events; and
 * signed webhooks carrying the same events.
 */
class TranscodePipelineITCase {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final int SECONDS = 20;
    private static final int FPS = 25;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir static Path temp;
    static Path clips;
    static Path clip;
    static TestPipelines.Setup setup;
    static TestJobs jobs;
    static JobClient pipeline;
    static HttpServer receiver;
    static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    /** One POST the receiver got. */
    record Delivery(String eventId, String signature, byte[] body) {}

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext(
                "/hook",
                e -> {
                    byte[] body = e.getRequestBody().readAllBytes();
                    deliveries.add(
                            new Delivery(
                                    e.getRequestHeaders().getFirst(WebhookSigner.EVENT_ID_HEADER),
                                    e.getRequestHeaders().getFirst(WebhookSigner.SIGNATURE_HEADER),
                                    body));
                    e.sendResponseHeaders(204, -1);
                    e.close();
                });
        receiver.start();
        clips = Files.createDirectories(temp.resolve("clips"));
        // A tone beside a moving pattern, one keyframe a second: parts cut on keyframes.
        clip = SyntheticClips.testPatternWithTone(clips.resolve("20s.mp4"), SECONDS, FPS, 320, 240);
        setup =
                TestPipelines.setup(
                        "transcode",
                        temp,
                        List.of(clips),
                        Map.of(
                                "vidproc.segment.target", "10 s",
                                "vidproc.transcode.part-target", "5 s",
                                "vidproc.retry.max-attempts", "2",
                                "vidproc.retry.initial-backoff", "100 ms",
                                "vidproc.retry.max-backoff", "200 ms",
                                "vidproc.webhook.enabled", "true",
                                "vidproc.webhook.allow", "127.0.0.1",
                                "vidproc.checkpoint.interval", "1 s"));
        pipeline = TestPipelines.run(setup, new FaultyBackends(), "vidprocme-transcode-it");
        jobs = setup.jobs();
    }

    @AfterAll
    static void stop() throws Exception {
        TestPipelines.stop(pipeline, jobs);
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static JobSpec spec(String callbackUrl) {
        return new JobSpec(
                null,
                null,
                null,
                null,
                null,
                List.of(
                        new OutputSpec(
                                "small",
                                "mp4",
                                new VideoOutputSpec("h264", 180, 26, null, null, null),
                                new AudioOutputSpec("aac", null)),
                        new OutputSpec(
                                "tiny",
                                "hls",
                                new VideoOutputSpec("h264", 120, 30, null, null, null),
                                new AudioOutputSpec("aac", null))),
                null,
                callbackUrl);
    }

    @Test
    void twoRenditionsAndThumbnailsArePublishedOnceWithProgressAndSignedWebhooks()
            throws Exception {
        String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String id = jobs.upload(clip, spec(callback));

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);
        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);

        // Every rendition was cut into parts (5 s target over 20 s), each a unit of its own.
        Map<Integer, TestJobs.UnitRow> units = jobs.units(id, WorkUnits.TRANSCODE);
        assertThat(units.keySet())
                .as("transcode units: the final and parts 0..3 of each output, then thumbnails")
                .containsExactlyInAnyOrder(
                        TranscodeResult.unitNumber(0, TranscodeResult.FINAL),
                        TranscodeResult.unitNumber(0, 0),
                        TranscodeResult.unitNumber(0, 1),
                        TranscodeResult.unitNumber(0, 2),
                        TranscodeResult.unitNumber(0, 3),
                        TranscodeResult.unitNumber(1, TranscodeResult.FINAL),
                        TranscodeResult.unitNumber(1, 0),
                        TranscodeResult.unitNumber(1, 1),
                        TranscodeResult.unitNumber(1, 2),
                        TranscodeResult.unitNumber(1, 3),
                        TranscodeResult.unitNumber(2, TranscodeResult.FINAL));
        assertThat(units.values()).extracting(TestJobs.UnitRow::state).containsOnly("done");

        List<OutputRow> outputs = jobs.outputs(id);
        assertThat(outputs).extracting(OutputRow::name).doesNotHaveDuplicates();
        assertThat(outputs)
                .extracting(OutputRow::name)
                .contains(
                        "small.mp4",
                        "hls/master.m3u8",
                        "hls/tiny/index.m3u8",
                        "hls/tiny/init.mp4",
                        "thumbnails/poster.jpg",
                        "thumbnails/sprites.vtt");
        assertThat(outputs)
                .filteredOn(o -> o.kind() == OutputKind.SEGMENT)
                .extracting(OutputRow::name)
                .anyMatch(n -> n.endsWith(".m4s"));
        assertThat(outputs).filteredOn(o -> o.kind() == OutputKind.SPRITE).isNotEmpty();
        for (OutputRow row : outputs) {
            Path file = jobs.blobFile(row.blobKey());
            assertThat(file).as(row.name()).isRegularFile();
            assertThat(Files.size(file)).as(row.name()).isEqualTo(row.bytes());
        }

        // The mp4 is the whole input: every frame, within a frame of its duration, as asked.
        Path mp4 = jobs.blobFile(BlobKeys.output(id, "small.mp4"));
        MediaStreams streams = StreamProbe.probe(mp4);
        assertThat(streams.video().codec()).isEqualTo("h264");
        assertThat(streams.video().height()).isEqualTo(180);
        assertThat(streams.audio().codec()).isEqualTo("aac");
        ProbeResult frames = MediaProbe.probe(mp4);
        assertThat(frames.framePtsUs()).hasSize(SECONDS * FPS);
        long[] pts = frames.framePtsUs();
        long duration = pts[pts.length - 1] + frames.frameDurationUs();
        assertThat(Math.abs(duration - SECONDS * 1_000_000L)).isLessThanOrEqualTo(1_000_000 / FPS);

        String master = Files.readString(jobs.blobFile(BlobKeys.output(id, "hls/master.m3u8")));
        assertThat(master).startsWith("#EXTM3U").contains("RESOLUTION=160x120");
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).count())
                .isEqualTo(1);
        assertThat(master.lines()).contains("tiny/index.m3u8");

        Path work = setup.blobs().root().resolve("work").resolve(id);
        if (Files.exists(work)) {
            try (Stream<Path> left = Files.walk(work)) {
                assertThat(left.filter(Files::isRegularFile)).as("parts left behind").isEmpty();
            }
        }

        // Events carry each output's progress, ending with every output done.
        List<JsonNode> events =
                TopicReader.committed(
                        setup.services(),
                        setup.config().eventsTopic(),
                        id,
                        e ->
                                e.stream()
                                        .anyMatch(
                                                n -> n.path("status").asText().equals("COMPLETED")),
                        Duration.ofMinutes(1));
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(last.path("outputs").findValuesAsText("name"))
                .containsExactly("small", "tiny", "thumbnails");
        assertThat(last.path("outputs").findValues("done")).allMatch(JsonNode::asBoolean);
        assertThat(events)
                .as("an event while an output was part-way")
                .anyMatch(
                        e ->
                                e.path("outputs").findValues("progress").stream()
                                        .anyMatch(p -> p.asDouble() > 0 && p.asDouble() < 1));

        // The callback got every one of those events once, signed, with the same JSON.
        List<String> eventIds = events.stream().map(e -> e.path("eventId").asText()).toList();
        Await.until(
                "every event delivered to the callback",
                Duration.ofMinutes(1),
                () ->
                        deliveries.stream().map(Delivery::eventId).toList().containsAll(eventIds)
                                ? true
                                : null);
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        for (Delivery d : deliveries) {
            if (!d.eventId().startsWith(id + ":")) {
                continue;
            }
            counts.merge(d.eventId(), 1, Integer::sum);
            WebhookSigner.verify(
                    d.signature(),
                    d.body(),
                    FaultyBackends.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8),
                    Duration.ofMinutes(5));
            JsonNode sent = Json.mapper().readTree(d.body());
            assertThat(sent).isEqualTo(events.get(eventIds.indexOf(d.eventId())));
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(eventIds);
        assertThat(counts.values()).as("one delivery per event").containsOnly(1);
    }

    @Test
    void aTranscodeOnlyJobDecodesNoFramesAndCompletesWithItsRendition() throws Exception {
        JobSpec transcodeOnly =
                new JobSpec(
                        null,
                        null,
                        new FrameSpec(null, null, null, FrameMode.NONE, null),
                        null,
                        null,
                        List.of(
                                new OutputSpec(
                                        "small",
                                        "mp4",
                                        new VideoOutputSpec("h264", 180, 26, null, null, null),
                                        new AudioOutputSpec("aac", null))),
                        new ThumbnailSpec(false, null, null, null),
                        null);
        String id = jobs.upload(clip, transcodeOnly);

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).as(job.errorMessage()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.framesExtracted()).isZero();
        assertThat(jobs.frames(id)).isEmpty();
        assertThat(jobs.units(id, WorkUnits.DECODE)).isEmpty();
        assertThat(jobs.outputs(id)).extracting(OutputRow::name).containsExactly("small.mp4");
    }

    @Test
    void aRenditionFailingVerificationIsRetriedThenDeadLettered() throws Exception {
        String id = UUID.randomUUID().toString();
        Faults.failVerification(id);
        jobs.upload(clip, spec(null), id);

        JobRow job = jobs.awaitTerminal(id, JOB_TIMEOUT);

        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.errorCode()).isEqualTo("verification_failed");
        assertThat(jobs.deadLetters(id))
                .extracting(d -> d.letter().stage())
                .contains(WorkUnits.TRANSCODE);
        assertThat(jobs.deadLetters(id))
                .filteredOn(d -> d.letter().stage().equals(WorkUnits.TRANSCODE))
                .allSatisfy(
                        d -> {
                            assertThat(d.letter().attempts()).isEqualTo(2);
                            assertThat(d.letter().message()).contains("fails verification");
                        });
        assertThat(jobs.outputs(id))
                .extracting(OutputRow::name)
                .doesNotContain("small.mp4", "hls/tiny/index.m3u8");
    }
}
