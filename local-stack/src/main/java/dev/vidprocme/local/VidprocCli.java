package dev.vidprocme.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./vidproc}: {@code local} runs the whole system until Ctrl-C; {@code run FILE} starts it,
 * pushes one video through the HTTP API, prints what came out and stops (exit 0 only on COMPLETED).
 * {@code queue}, {@code dlq}, {@code cancel ID}, {@code scenes ID}, {@code search QUERY} and {@code
 * outputs ID} talk to a stack that is already running.
 */
public final class VidprocCli {
    static final String USAGE =
            """
            usage:
              vidproc local [--data-dir DIR] [--api-port P] [--flink-ui-port P] [--metrics-port P] [--input-root DIR]...
              vidproc run [FILE] [--fps N] [--max-width W] [--quality Q] [--priority P]
                          [--data-dir DIR] [--api-port P] [--flink-ui-port P]
              vidproc queue [CONNECTION]
              vidproc dlq [--limit N] [--job ID] [CONNECTION]
              vidproc cancel ID [CONNECTION]
              vidproc scenes ID [CONNECTION]
              vidproc search QUERY [--semantic] [--job ID] [--limit N] [CONNECTION]
              vidproc outputs ID [CONNECTION]
            run without FILE makes a 5 s 640x360 test clip (three shots, one with words) and
            processes that.
            CONNECTION for a running stack: [--api URL] (default http://127.0.0.1:8080)
              [--token T] (default $VIDPROC_API_TOKEN, else DIR/api-token) [--data-dir DIR]\
            """;

    /** Widest bar {@code queue} draws. */
    private static final int BAR_WIDTH = 40;

    /** Width of the scene timeline. */
    private static final int TIMELINE_WIDTH = 60;

    /** Lines of on-screen text the run summary shows. */
    private static final int TEXT_SAMPLES = 4;

    private final PrintStream out;
    private final boolean ansi;

    VidprocCli(PrintStream out) {
        this(out, false);
    }

    /**
     * @param ansi whether {@code out} is a terminal that understands colour escapes
     */
    VidprocCli(PrintStream out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    public static void main(String[] args) {
        boolean ansi = System.console() != null && System.getenv("NO_COLOR") == null;
        System.exit(new VidprocCli(System.out, ansi).exitCode(args, System.err));
    }

    /** Runs a command and turns what went wrong into a message on {@code err} and an exit code. */
    int exitCode(String[] args, PrintStream err) {
        try {
            return execute(args);
        } catch (IllegalArgumentException e) {
            err.println("vidproc: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("vidproc: " + e.getMessage());
            return 1;
        }
    }

    int execute(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("missing command");
        }
        Args parsed = Args.parse(args);
        return switch (args[0]) {
            case "local" -> local(parsed);
            case "run" -> run(parsed);
            case "queue" -> queue(parsed);
            case "dlq" -> dlq(parsed);
            case "cancel" -> cancel(parsed);
            case "scenes" -> scenes(parsed);
            case "search" -> search(parsed);
            case "outputs" -> outputs(parsed);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
        };
    }

    private int local(Args args) throws Exception {
        args.rejectPositional();
        LocalOptions options =
                args.options(LocalOptions.DEFAULT_API_PORT, LocalOptions.DEFAULT_FLINK_UI_PORT);
        LocalStack stack = LocalStack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    out.println("\nstopping vidprocme ...");
                                    stack.close();
                                    stopped.countDown();
                                },
                                "vidproc-stop"));
        out.println("vidprocme is running (Ctrl-C to stop)");
        out.println(
                "  ingest API   "
                        + stack.apiUrl()
                        + "   (OpenAPI: "
                        + stack.apiUrl()
                        + "/openapi.yaml)");
        out.println(
                "  API token    in "
                        + options.dataDir().resolve("api-token")
                        + " or $VIDPROC_API_TOKEN");
        out.println("  Flink UI     " + stack.flinkUi());
        out.println(
                "  Prometheus   http://127.0.0.1:"
                        + options.metricsPort()
                        + "/metrics (next free port up to +10)");
        out.println(
                "  Kafka        "
                        + stack.kafkaBootstrap()
                        + "   (topics "
                        + LocalStack.JOBS_TOPIC
                        + ", "
                        + LocalStack.EVENTS_TOPIC
                        + ", "
                        + LocalStack.DLQ_TOPIC
                        + ")");
        out.println("  PostgreSQL   " + stack.postgresUrl());
        out.println("  blob store   " + stack.blobRoot());
        if (stack.requeued() > 0) {
            out.println(
                    "  re-enqueued  "
                            + stack.requeued()
                            + " job(s) left unfinished by the last run");
        }
        stopped.await();
        return 0;
    }

    private int run(Args args) throws Exception {
        LocalOptions options = args.options(0, 0);
        Path file = args.positional().isEmpty() ? null : Path.of(args.positional().get(0));
        if (args.positional().size() > 1) {
            throw new IllegalArgumentException("run takes one FILE");
        }
        if (file != null && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        long startup = System.nanoTime();
        if (file == null) {
            // A new name for the three-shot clip, so a data dir keeping the old one-shot sample
            // gets the clip that shows scenes and text.
            file = options.dataDir().resolve("samples").resolve("sample-5s-640x360-scenes.mp4");
            if (!Files.isRegularFile(file)) {
                out.println("no FILE given: making a 5 s 640x360 test clip at " + file);
                DemoClip.make(file);
            }
        }
        out.println("starting vidprocme (PostgreSQL, Kafka, Flink, API) ...");
        try (LocalStack stack = LocalStack.start(options)) {
            ApiClient client = new ApiClient(stack.apiUrl(), stack.apiToken());
            long submitted = System.nanoTime();
            String id = client.submit(file, args.specJson());
            out.println("submitted " + file.getFileName() + " as job " + id);
            JobNode job = await(client, id, submitted);
            long doneMs = (System.nanoTime() - submitted) / 1_000_000;
            long totalMs = (System.nanoTime() - startup) / 1_000_000;
            printSummary(job.json(), stack, id, doneMs, totalMs);
            if (List.of("COMPLETED", "PARTIAL").contains(job.status())) {
                printFrameIntelligence(client, job.json(), id);
            }
            return "COMPLETED".equals(job.status()) ? 0 : 1;
        }
    }

    /** Polls the job until it is terminal, drawing progress as it goes. */
    private JobNode await(ApiClient client, String id, long submittedNanos) throws Exception {
        ProgressBar bar = new ProgressBar(out, System.console() != null);
        long pauseMs = 50;
        while (true) {
            JsonNode job = client.job(id);
            String status = job.get("status").asText();
            long elapsedMs = (System.nanoTime() - submittedNanos) / 1_000_000;
            bar.update(
                    status,
                    job.path("progress").asDouble(),
                    job.path("frames").path("extracted").asLong(),
                    elapsedMs);
            if (ApiClient.isTerminal(status)) {
                bar.finish();
                return new JobNode(job, status);
            }
            Thread.sleep(
                    pauseMs); // a polling client's pause between requests, not test synchronisation
            pauseMs = Math.min(500, pauseMs * 2);
        }
    }

    /** Prints how much work waits and runs at each priority, with a bar per priority. */
    private int queue(Args args) throws Exception {
        args.rejectPositional();
        JsonNode bins = args.client().queue().path("bins");
        long most = 0;
        for (JsonNode bin : bins) {
            most = Math.max(most, bin.path("waiting").asLong() + bin.path("running").asLong());
        }
        out.println("priority  running  waiting   (# running, . waiting)");
        for (JsonNode bin : bins) {
            long running = bin.path("running").asLong();
            long waiting = bin.path("waiting").asLong();
            out.printf(
                    "%8d  %7d  %7d   %s%n",
                    bin.path("priority").asInt(), running, waiting, bar(running, waiting, most));
        }
        return 0;
    }

    /**
     * {@code #} per running and {@code .} per waiting unit, scaled so the fullest priority fits in
     * {@link #BAR_WIDTH} characters; a non-zero count always shows at least one mark.
     */
    static String bar(long running, long waiting, long most) {
        double scale = most <= BAR_WIDTH ? 1 : (double) BAR_WIDTH / most;
        return "#".repeat(marks(running, scale)) + ".".repeat(marks(waiting, scale));
    }

    private static int marks(long count, double scale) {
        return count == 0 ? 0 : (int) Math.max(1, Math.round(count * scale));
    }

    /** Lists dead letters, newest first. */
    private int dlq(Args args) throws Exception {
        args.rejectPositional();
        int limit = args.intFlag("--limit", 20, 1, 500);
        JsonNode items = args.client().deadLetters(limit, args.flag("--job")).path("items");
        if (items.isEmpty()) {
            out.println("no dead letters");
            return 0;
        }
        for (JsonNode d : items) {
            JsonNode replayed = d.path("replayedJobId");
            out.printf(
                    "%s  %s  job %s  %s %d after %d attempt(s)  %s: %s%s%n",
                    d.path("at").asText(),
                    d.path("id").asText(),
                    d.path("jobId").asText(),
                    d.path("stage").asText(),
                    d.path("unit").asInt(),
                    d.path("attempts").asInt(),
                    d.path("errorClass").asText(),
                    d.path("message").asText(),
                    replayed.isTextual() ? "  (replayed as job " + replayed.asText() + ")" : "");
        }
        return 0;
    }

    /** Cancels one job; a job that has already ended is an error (exit 1) saying how it ended. */
    private int cancel(Args args) throws Exception {
        if (args.positional().size() != 1) {
            throw new IllegalArgumentException("cancel takes one job ID");
        }
        String id = args.positional().get(0);
        JsonNode job = args.client().cancel(id);
        out.println("job " + id + " is " + job.path("status").asText());
        return 0;
    }

    /** Prints a job's scenes: a timeline of the transitions, then one row per scene. */
    private int scenes(Args args) throws Exception {
        String id = args.single("scenes", "job ID");
        JsonNode items = args.client().scenes(id).path("items");
        if (items.isEmpty()) {
            out.println("no scenes for job " + id + " (they are stored when the job ends)");
            return 0;
        }
        long end = items.get(items.size() - 1).path("endMs").asLong();
        out.printf(
                "%s %s %s%n",
                Formats.time(0), Formats.timeline(items, TIMELINE_WIDTH), Formats.time(end));
        out.println("         | cut   / fade   ~ dissolve   * several in one place");
        out.println();
        out.println("scene      start        end  kind      score");
        for (JsonNode scene : items) {
            out.printf(
                    "%5d  %9s  %9s  %-8s  %5.2f%n",
                    scene.path("index").asInt(),
                    Formats.time(scene.path("startMs").asLong()),
                    Formats.time(scene.path("endMs").asLong()),
                    Formats.printable(scene.path("kind").asText()),
                    scene.path("score").asDouble());
        }
        return 0;
    }

    /** Searches the frames' text and captions, best first, with the matches emphasised. */
    private int search(Args args) throws Exception {
        String query = args.single("search", "QUERY (quote it when it has spaces)");
        int limit = args.intFlag("--limit", 10, 1, 200);
        boolean semantic = args.has("--semantic");
        JsonNode items =
                args.client().search(query, semantic, args.flag("--job"), limit).path("items");
        if (items.isEmpty()) {
            out.println("no frames match '" + Formats.printable(query) + "'");
            return 0;
        }
        int rank = 0;
        for (JsonNode hit : items) {
            out.printf(
                    "%2d. %.3f  job %s  frame %d at %s  (%s)%n",
                    ++rank,
                    hit.path("score").asDouble(),
                    hit.path("jobId").asText(),
                    hit.path("frameIndex").asLong(),
                    Formats.time(hit.path("ptsMs").asLong()),
                    Formats.printable(hit.path("analyser").asText()));
            out.println("    " + Formats.snippet(hit.path("snippet").asText(), ansi));
            out.println("    " + hit.path("url").asText());
        }
        return 0;
    }

    /** Lists what a job produced: renditions, playlists, thumbnails, each with a signed URL. */
    private int outputs(Args args) throws Exception {
        String id = args.single("outputs", "job ID");
        JsonNode items = args.client().outputs(id).path("items");
        if (items.isEmpty()) {
            out.println("no outputs for job " + id + " (none asked for, or none written yet)");
            return 0;
        }
        int width = "name".length();
        for (JsonNode item : items) {
            width = Math.max(width, Formats.printable(item.path("name").asText()).length());
        }
        String row = "%-" + width + "s  %-10s  %10s  %s%n";
        out.printf(row, "name", "kind", "size", "url");
        for (JsonNode item : items) {
            out.printf(
                    row,
                    Formats.printable(item.path("name").asText()),
                    Formats.printable(item.path("kind").asText()),
                    Formats.size(item.path("bytes").asLong()),
                    item.path("url").asText());
        }
        return 0;
    }

    /**
     * What the analysers made of the job, with no model endpoint needed: the scenes, the analysis
     * summary and a few lines of on-screen text.
     */
    private void printFrameIntelligence(ApiClient client, JsonNode job, String id)
            throws IOException, InterruptedException {
        JsonNode scenes = client.scenes(id).path("items");
        out.printf("  scenes     %d%s%n", scenes.size(), transitions(scenes));
        if (!scenes.isEmpty()) {
            out.printf("             %s%n", Formats.timeline(scenes, TIMELINE_WIDTH));
        }
        JsonNode analysis = job.path("analysis");
        if (analysis.isMissingNode()) {
            out.println("  analysis   none (the spec turned the analysers off)");
            return;
        }
        out.printf(
                "  analysis   %d frame(s) analysed, %d with text; %s%n",
                analysis.path("framesAnalysed").asInt(),
                analysis.path("framesWithText").asInt(),
                captions(analysis));
        if (analysis.hasNonNull("note")) {
            out.printf("  note       %s%n", Formats.printable(analysis.get("note").asText()));
        }
        List<FrameText.Line> lines = FrameText.sample(client, id, scenes, TEXT_SAMPLES);
        String label = "  text       ";
        for (FrameText.Line line : lines) {
            out.printf(
                    "%sframe %d at %s: %s%n",
                    label, line.frameIndex(), Formats.time(line.ptsMs()), line.text());
            label = "             ";
        }
        out.println(
                "  explore    ./vidproc local, then ./vidproc scenes "
                        + id
                        + " or ./vidproc search WORD");
    }

    /** " (2 cuts, 1 fade)": the transitions between the scenes, by kind. */
    private static String transitions(JsonNode scenes) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (JsonNode scene : scenes) {
            if (scene.path("index").asInt() > 0) {
                counts.merge(Formats.printable(scene.path("kind").asText()), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            return scenes.isEmpty() ? "" : "  (no transitions)";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> parts.add(n + " " + kind + (n == 1 ? "" : "s")));
        return "  (" + String.join(", ", parts) + ")";
    }

    private static String captions(JsonNode analysis) {
        int captioned = analysis.path("captioned").asInt();
        int failed = analysis.path("captionsFailed").asInt();
        if (captioned == 0 && failed == 0) {
            return "no captions (a spec's analysis.caption adds them)";
        }
        return String.format(
                java.util.Locale.ROOT,
                "%d captioned, %d failed, %d tokens, $%.4f",
                captioned,
                failed,
                analysis.path("tokens").asLong(),
                analysis.path("costUsd").asDouble());
    }

    private void printSummary(
            JsonNode job, LocalStack stack, String id, long doneMs, long totalMs) {
        out.println();
        out.printf("  job        %s%n", id);
        out.printf("  status     %s%n", job.get("status").asText());
        JsonNode video = job.path("video");
        if (!video.isMissingNode()) {
            out.printf(
                    "  video      %s %dx%d, %.2f fps, %.2f s, rotation %d%n",
                    video.path("codec").asText(),
                    video.path("width").asInt(),
                    video.path("height").asInt(),
                    video.path("fps").asDouble(),
                    video.path("durationMs").asLong() / 1000.0,
                    video.path("rotation").asInt());
        }
        out.printf("  frames     %d extracted%n", job.path("frames").path("extracted").asLong());
        out.printf(
                "  elapsed    %.1f s from submission, %.1f s including start-up%n",
                doneMs / 1000.0, totalMs / 1000.0);
        if (job.has("damage")) {
            out.printf("  damage     %s%n", job.get("damage").asText());
        }
        if (job.has("error")) {
            out.printf(
                    "  error      %s: %s%n",
                    job.path("error").path("code").asText(),
                    job.path("error").path("message").asText());
        }
        out.printf("  frames at  %s%n", stack.blobRoot().resolve("frames").resolve(id));
    }

    private record JobNode(JsonNode json, String status) {}

    /** Command-line options of every command. */
    record Args(List<String> positional, List<String[]> flags) {
        /** Flags that take no value. */
        private static final List<String> SWITCHES = List.of("--semantic");

        static Args parse(String[] args) {
            List<String> positional = new ArrayList<>();
            List<String[]> flags = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                if (SWITCHES.contains(args[i])) {
                    flags.add(new String[] {args[i], "true"});
                } else if (args[i].startsWith("--")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + args[i]);
                    }
                    flags.add(new String[] {args[i], args[++i]});
                } else {
                    positional.add(args[i]);
                }
            }
            return new Args(positional, flags);
        }

        void rejectPositional() {
            if (!positional.isEmpty()) {
                throw new IllegalArgumentException(
                        "unexpected argument '" + positional.get(0) + "'");
            }
        }

        LocalOptions options(int defaultApiPort, int defaultFlinkUiPort) {
            Path dataDir = Path.of(".vidproc");
            int api = defaultApiPort;
            int ui = defaultFlinkUiPort;
            int metrics = LocalOptions.DEFAULT_METRICS_PORT;
            List<Path> roots = new ArrayList<>();
            for (String[] flag : flags) {
                switch (flag[0]) {
                    case "--data-dir" -> dataDir = Path.of(flag[1]);
                    case "--api-port" -> api = port(flag);
                    case "--flink-ui-port" -> ui = port(flag);
                    case "--metrics-port" -> metrics = port(flag);
                    case "--input-root" -> roots.add(Path.of(flag[1]).toAbsolutePath());
                    case "--fps", "--max-width", "--quality", "--priority" -> {}
                    default -> throw new IllegalArgumentException("unknown option " + flag[0]);
                }
            }
            return LocalOptions.defaults(dataDir).withPorts(api, ui, metrics).withInputRoots(roots);
        }

        /** The one positional argument of {@code command}, or an error naming what it takes. */
        String single(String command, String what) {
            if (positional.size() != 1) {
                throw new IllegalArgumentException(command + " takes one " + what);
            }
            return positional.get(0);
        }

        boolean has(String name) {
            return flag(name) != null;
        }

        /** The last value of {@code name}, or null. */
        String flag(String name) {
            String value = null;
            for (String[] flag : flags) {
                if (flag[0].equals(name)) {
                    value = flag[1];
                }
            }
            return value;
        }

        int intFlag(String name, int defaultValue, int min, int max) {
            String raw = flag(name);
            if (raw == null) {
                return defaultValue;
            }
            try {
                int value = Integer.parseInt(raw);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException(
                    name + " must be an integer " + min + ".." + max + ", got '" + raw + "'");
        }

        /**
         * A client for a stack that is already running: {@code --api}, {@code --token} (else
         * $VIDPROC_API_TOKEN, else the token file in {@code --data-dir}), plus the command's own
         * {@code --limit}/{@code --job}/{@code --semantic}.
         */
        ApiClient client() throws IOException {
            String api = "http://127.0.0.1:" + LocalOptions.DEFAULT_API_PORT;
            String token = null;
            Path dataDir = Path.of(".vidproc");
            for (String[] flag : flags) {
                switch (flag[0]) {
                    case "--api" -> api = flag[1];
                    case "--token" -> token = flag[1];
                    case "--data-dir" -> dataDir = Path.of(flag[1]);
                    case "--limit", "--job", "--semantic" -> {}
                    default -> throw new IllegalArgumentException("unknown option " + flag[0]);
                }
            }
            if (token == null) {
                String fromEnv = System.getenv("VIDPROC_API_TOKEN");
                Path file = dataDir.resolve("api-token");
                if (fromEnv != null && !fromEnv.isBlank()) {
                    token = fromEnv.trim();
                } else if (Files.isRegularFile(file)) {
                    token = Files.readString(file).trim();
                } else {
                    throw new IllegalStateException(
                            "no API token: pass --token, set VIDPROC_API_TOKEN, or point"
                                    + " --data-dir at the running stack's data directory ("
                                    + file
                                    + " is missing)");
                }
            }
            return new ApiClient(api, token);
        }

        /** The job spec from --fps/--max-width/--quality/--priority, or null for the defaults. */
        String specJson() {
            ObjectNode spec = Json.mapper().createObjectNode();
            ObjectNode frames = Json.mapper().createObjectNode();
            for (String[] flag : flags) {
                switch (flag[0]) {
                    case "--fps" -> frames.put("fps", number(flag));
                    case "--max-width" -> frames.put("maxWidth", (int) number(flag));
                    case "--quality" -> frames.put("quality", (int) number(flag));
                    case "--priority" -> spec.put("priority", (int) number(flag));
                    default -> {}
                }
            }
            if (!frames.isEmpty()) {
                spec.set("frames", frames);
            }
            return spec.isEmpty() ? null : spec.toString();
        }

        private static int port(String[] flag) {
            double value = number(flag);
            if (value < 0 || value > 65535 || value != Math.rint(value)) {
                throw new IllegalArgumentException(
                        flag[0] + " must be a port number 0..65535, got " + flag[1]);
            }
            return (int) value;
        }

        private static double number(String[] flag) {
            try {
                return Double.parseDouble(flag[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        flag[0] + " must be a number, got '" + flag[1] + "'");
            }
        }
    }
}
