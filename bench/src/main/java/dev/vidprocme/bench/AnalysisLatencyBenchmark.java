package dev.vidprocme.bench;

import dev.vidprocme.io.db.Database;
import dev.vidprocme.local.ApiClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the default offline analysers (issue 4) add to one job's latency: ConcurrentJobsBenchmark's
 * 5 s 640x360 job alone on an idle stack with its default spec (OCR and statistics on), against the
 * same job with {@code analysis.ocr=false,stats=false}, alternating the two in one run so a JVM
 * that warms up or a neighbour that gets busy biases neither side.
 */
public final class AnalysisLatencyBenchmark {
    static final String SPEC_ON = ConcurrentJobsBenchmark.SPEC;
    static final String SPEC_OFF =
            "{\"frames\":{\"quality\":93},\"analysis\":{\"ocr\":false,\"stats\":false}}";
    private static final long CHECK_MS = 100;
    private static final String UNIT_SECONDS =
            "SELECT coalesce(extract(epoch FROM updated_at - first_started_at), 0) FROM work_units"
                    + " WHERE job_id = ? AND stage = ? AND unit = 0";

    private final Map<String, String> options;
    private final Path clip;
    private final int reps;
    private final long pollMs;
    private final Duration timeout;

    private AnalysisLatencyBenchmark(Map<String, String> options, Path clip) {
        this.options = options;
        this.clip = clip;
        this.reps = Bench.intOption(options, "reps", 7);
        this.pollMs = Bench.intOption(options, "poll-ms", 50);
        this.timeout = Duration.ofSeconds(Bench.intOption(options, "timeout-s", 300));
    }

    public static void main(String[] args) {
        Bench.main(
                args,
                "analysis-latency",
                (options, work) ->
                        new AnalysisLatencyBenchmark(options, ConcurrentJobsBenchmark.clip(work))
                                .run(work),
                "reps",
                "warmup",
                "poll-ms",
                "parallelism",
                "timeout-s",
                "tmp");
    }

    private void run(Path work) throws Exception {
        System.out.printf(
                "one %d s 640x360 %d fps job (%d frames, every frame, quality 93) on an idle stack,"
                        + " analysers on (default spec) against off; %d cores, load average %.1f%n",
                ConcurrentJobsBenchmark.SECONDS,
                ConcurrentJobsBenchmark.FPS,
                ConcurrentJobsBenchmark.FRAMES,
                Runtime.getRuntime().availableProcessors(),
                Bench.loadAverage());
        try (StackUnderTest stack =
                        StackUnderTest.local(
                                work.resolve("data"),
                                Bench.intOption(
                                        options,
                                        "parallelism",
                                        StackUnderTest.defaultParallelism()));
                Database database = Database.connect(stack.db(), 1, "bench-latency")) {
            ApiClient client = stack.client();
            int warmup = Bench.intOption(options, "warmup", 20);
            for (String spec : List.of(SPEC_ON, SPEC_OFF)) {
                JobBatch batch =
                        new JobBatch(
                                client,
                                clip,
                                spec,
                                ConcurrentJobsBenchmark.FRAMES,
                                16,
                                CHECK_MS,
                                timeout);
                System.out.printf(
                        "warm-up: %d job(s) in %.2f s%n", warmup, batch.run(warmup, false).wallS());
            }
            LatencyProbe on = probe(client, SPEC_ON);
            LatencyProbe off = probe(client, SPEC_OFF);
            List<Sample> onSamples = new ArrayList<>();
            List<Sample> offSamples = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                // Alternating which goes first keeps a drift in the machine's load off one side.
                boolean onFirst = i % 2 == 0;
                for (boolean analysed :
                        onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    awaitIdle(client);
                    Sample sample = measure(database, client, analysed ? on : off, analysed);
                    (analysed ? onSamples : offSamples).add(sample);
                    System.out.printf("rep %d %-3s %s%n", i + 1, analysed ? "on" : "off", sample);
                }
            }
            report(onSamples, offSamples);
        }
    }

    private LatencyProbe probe(ApiClient client, String spec) {
        return new LatencyProbe(
                client, clip, spec, ConcurrentJobsBenchmark.FRAMES, pollMs, timeout);
    }

    private Sample measure(Database database, ApiClient client, LatencyProbe probe, boolean on)
            throws Exception {
        LatencyProbe.Sample sample = probe.measure();
        long analysed = client.job(sample.id()).path("analysis").path("framesAnalysed").asLong(0);
        if (on == (analysed == 0)) {
            throw new IllegalStateException(
                    "job "
                            + sample.id()
                            + " with the analysers "
                            + (on ? "on" : "off")
                            + " reports "
                            + analysed
                            + " analysed frame(s)");
        }
        return new Sample(
                sample,
                analysed,
                unitSeconds(database, sample.id(), "decode"),
                unitSeconds(database, sample.id(), "analyse"));
    }

    private static double unitSeconds(Database database, String jobId, String stage)
            throws SQLException {
        try (Connection c = database.connection();
                PreparedStatement ps = c.prepareStatement(UNIT_SECONDS)) {
            ps.setString(1, jobId);
            ps.setString(2, stage);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : Double.NaN;
            }
        }
    }

    private void awaitIdle(ApiClient client) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        QueueReading queue = QueueReading.read(client);
        while (!queue.idle()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the stack never went idle; queue: " + queue);
            }
            Thread.sleep(CHECK_MS);
            queue = QueueReading.read(client);
        }
    }

    private static void report(List<Sample> on, List<Sample> off) {
        double onS = median(on, Sample::serverS);
        double offS = median(off, Sample::serverS);
        System.out.printf(
                "%nlatency, server createdAt to updatedAt, median of %d: analysers on %.3f s,"
                        + " off %.3f s; on - off %.3f s; ratio on/off %.2f%n",
                on.size(), onS, offS, onS - offS, onS / offS);
        System.out.printf(
                "latency as the client saw it (upload + polling every step), median: on %.3f s,"
                        + " off %.3f s; ratio %.2f%n",
                median(on, s -> s.probe().clientS()),
                median(off, s -> s.probe().clientS()),
                median(on, s -> s.probe().clientS()) / median(off, s -> s.probe().clientS()));
        System.out.printf(
                "analyse unit (work_units, first start to end), median: on %.3f s, off %.3f s;"
                        + " decode unit: on %.3f s, off %.3f s%n",
                median(on, Sample::analyseS),
                median(off, Sample::analyseS),
                median(on, Sample::decodeS),
                median(off, Sample::decodeS));
    }

    private static double median(
            List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        double[] values = samples.stream().mapToDouble(f).toArray();
        Arrays.sort(values);
        return Bench.percentile(values, 50);
    }

    /** One timed job with what the ledger says its decode and analyse units took. */
    private record Sample(
            LatencyProbe.Sample probe, long framesAnalysed, double decodeS, double analyseS) {
        double serverS() {
            return probe.serverS();
        }

        @Override
        public String toString() {
            return String.format(
                    "server %.3f s, client %.3f s; decode unit %.3f s, analyse unit %.3f s;"
                            + " %d frame(s) analysed",
                    probe.serverS(), probe.clientS(), decodeS, analyseS, framesAnalysed);
        }
    }
}
