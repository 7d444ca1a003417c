package dev.vidprocme.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.JobRepository;
import dev.vidprocme.media.SyntheticClips;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./vidproc} promises: one command runs a video through real parts, and data outlives a
 * restart.
 */
class LocalStackITCase {
    @TempDir static Path temp;
    static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        clip = SyntheticClips.testPattern(temp.resolve("clip.mp4"), 2, 30, 320, 180);
    }

    @Test
    void runCommandProcessesTheSampleClipAndExitsZero() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code =
                new VidprocCli(new PrintStream(output, true, StandardCharsets.UTF_8))
                        .execute(
                                new String[] {"run", "--data-dir", temp.resolve("run").toString()});

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("status     COMPLETED").contains("frames     150 extracted");
        // The sample's two hard cuts, its analysis frames (the three scene starts) and the words
        // of its title card, read with no model endpoint.
        assertThat(printed)
                .contains("scenes     3  (2 cuts)")
                .contains("analysis   3 frame(s) analysed, 2 with text; no captions")
                .contains("frame 60 at 0:02.000: vidprocme")
                .contains("frame 60 at 0:02.000: demo");
    }

    @Test
    void runCommandExitsNonZeroWithTheReasonForABadFile() throws Exception {
        Path noise =
                Files.write(
                        temp.resolve("noise.mp4"),
                        "definitely not a video".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code =
                new VidprocCli(new PrintStream(output, true, StandardCharsets.UTF_8))
                        .execute(
                                new String[] {
                                    "run",
                                    noise.toString(),
                                    "--data-dir",
                                    temp.resolve("bad").toString()
                                });

        assertThat(code).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("status     FAILED")
                .contains("unrecognized_format");
    }

    @Test
    void jobsAndFramesSurviveARestartAndUnfinishedJobsAreRedone() throws Exception {
        LocalOptions options = LocalOptions.defaults(temp.resolve("restart")).withPorts(0, 0, 9300);
        String done;
        String unfinished = UUID.randomUUID().toString();
        try (LocalStack stack = LocalStack.start(options)) {
            ApiClient client = new ApiClient(stack.apiUrl(), stack.apiToken());
            done = client.submit(clip, null);
            assertThat(awaitStatus(client, done)).isEqualTo("COMPLETED");
            // A job the API accepted just before the machine went down: row and upload, no event
            // consumed.
            try (InputStream in = Files.newInputStream(clip);
                    Database db = Database.connect(stack.db(), 1, "test")) {
                new LocalBlobStore(stack.blobRoot())
                        .put(BlobKeys.upload(unfinished), in, Long.MAX_VALUE);
                new JobRepository(db.dataSource())
                        .insertQueued(
                                unfinished,
                                5,
                                "{}",
                                InputUris.forUpload(unfinished),
                                "clip.mp4",
                                null);
            }
        }

        try (LocalStack stack = LocalStack.start(options)) {
            ApiClient client = new ApiClient(stack.apiUrl(), stack.apiToken());
            assertThat(stack.requeued()).isEqualTo(1);
            JsonNode job = client.job(done);
            assertThat(job.get("status").asText()).isEqualTo("COMPLETED");
            assertThat(client.frames(done, 0, 1000).get("total").asLong()).isEqualTo(60);
            assertThat(awaitStatus(client, unfinished)).isEqualTo("COMPLETED");
            assertThat(client.job(unfinished).path("frames").path("extracted").asLong())
                    .isEqualTo(60);
        }
    }

    @Test
    void queueDlqAndCancelCommandsTalkToARunningStack() throws Exception {
        LocalOptions options = LocalOptions.defaults(temp.resolve("cli")).withPorts(0, 0, 9310);
        try (LocalStack stack = LocalStack.start(options)) {
            String queued = UUID.randomUUID().toString();
            // Accepted but not on the topic: it stays QUEUED until cancelled.
            try (Database db = Database.connect(stack.db(), 1, "test")) {
                new JobRepository(db.dataSource())
                        .insertQueued(queued, 3, "{}", "file:///nowhere.mp4", null, null);
            }
            String[] connection = {"--api", stack.apiUrl(), "--token", stack.apiToken()};

            CliRun queue = cli("queue", connection);
            assertThat(queue.code()).as(queue.out()).isZero();
            assertThat(queue.out())
                    .contains("priority  running  waiting")
                    .containsPattern("(?m)^\\s+3\\s+0\\s+1\\s+\\.$");

            CliRun cancel = cli("cancel", queued, connection);
            assertThat(cancel.code()).as(cancel.out()).isZero();
            assertThat(cancel.out()).contains("job " + queued + " is CANCELLED");

            CliRun again = cli("cancel", queued, connection);
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.out()).contains("already CANCELLED");

            CliRun dlq = cli("dlq", connection);
            assertThat(dlq.code()).as(dlq.out()).isZero();
            assertThat(dlq.out()).contains("no dead letters");
        }
    }

    @Test
    void scenesSearchAndOutputsCommandsShowWhatAJobProduced() throws Exception {
        LocalOptions options = LocalOptions.defaults(temp.resolve("intel")).withPorts(0, 0, 9320);
        Path demo = DemoClip.make(temp.resolve("demo.mp4"));
        try (LocalStack stack = LocalStack.start(options)) {
            ApiClient client = new ApiClient(stack.apiUrl(), stack.apiToken());
            String id =
                    client.submit(
                            demo,
                            """
                            {"outputs": [{"name": "small", "container": "mp4",
                                          "video": {"codec": "h264", "height": 180}}]}
                            """);
            assertThat(awaitStatus(client, id)).isEqualTo("COMPLETED");
            String[] connection = {"--api", stack.apiUrl(), "--token", stack.apiToken()};

            CliRun scenes = cli("scenes", id, connection);
            assertThat(scenes.code()).as(scenes.out()).isZero();
            assertThat(scenes.out())
                    .containsPattern("(?m)^0:00\\.000 \\[-+\\|-+\\|-+\\] 0:05\\.000$")
                    .containsPattern("(?m)^\\s+0\\s+0:00\\.000\\s+0:02\\.000\\s+start\\s+0\\.00$")
                    .containsPattern("(?m)^\\s+1\\s+0:02\\.000\\s+0:03\\.500\\s+cut\\s+")
                    .containsPattern("(?m)^\\s+2\\s+0:03\\.500\\s+0:05\\.000\\s+cut\\s+");

            CliRun words = cli("search", "vidprocme", concat(connection, "--job", id));
            assertThat(words.code()).as(words.out()).isZero();
            assertThat(words.out())
                    .contains(" 1. ")
                    .contains("job " + id + "  frame 60 at 0:02.000  (ocr)")
                    .contains("[vidprocme]")
                    .contains(stack.apiUrl() + "/v1/jobs/" + id + "/frames/60.jpg?");

            CliRun meaning = cli("search", "demo", concat(connection, "--semantic", "--job", id));
            assertThat(meaning.code()).as(meaning.out()).isZero();
            assertThat(meaning.out()).contains(" 1. ").contains("job " + id);

            CliRun none = cli("search", "zebra", concat(connection, "--job", id));
            assertThat(none.code()).as(none.out()).isZero();
            assertThat(none.out()).contains("no frames match 'zebra'");

            CliRun outputs = cli("outputs", id, connection);
            assertThat(outputs.code()).as(outputs.out()).isZero();
            assertThat(outputs.out())
                    .containsPattern("(?m)^name\\s+kind\\s+size\\s+url$")
                    .containsPattern(
                            "(?m)^small\\.mp4\\s+rendition\\s+\\d+(\\.\\d)? [KM]?i?B\\s+http")
                    .contains("poster")
                    .contains(stack.apiUrl() + "/v1/jobs/" + id + "/outputs/small.mp4?");

            String unknown = UUID.randomUUID().toString();
            CliRun missing = cli("scenes", unknown, connection);
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.out()).contains("HTTP 404").contains("no job " + unknown);
        }
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private record CliRun(int code, String out) {}

    private static CliRun cli(String command, String... rest) {
        return cli(command, null, rest);
    }

    private static CliRun cli(String command, String argument, String... rest) {
        List<String> args = new java.util.ArrayList<>(List.of(command));
        if (argument != null) {
            args.add(argument);
        }
        args.addAll(List.of(rest));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
        int code = new VidprocCli(print).exitCode(args.toArray(String[]::new), print);
        return new CliRun(code, output.toString(StandardCharsets.UTF_8));
    }

    private static String awaitStatus(ApiClient client, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            String status = client.job(id).get("status").asText();
            if (List.of("COMPLETED", "FAILED").contains(status)) {
                return status;
            }
            Thread.sleep(50); // polling a condition with a deadline
        }
        throw new AssertionError("job " + id + " did not finish in time");
    }
}
