package dev.vidprocme.functions;

import dev.vidprocme.io.InputNotAllowedException;
import dev.vidprocme.io.InputUris;
import dev.vidprocme.io.blob.BlobContentTypes;
import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.db.Database;
import dev.vidprocme.io.db.OutputKind;
import dev.vidprocme.io.db.OutputRepository;
import dev.vidprocme.io.db.OutputRow;
import dev.vidprocme.io.db.WorkUnits;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.transcode.Codecs;
import dev.vidprocme.media.transcode.HlsPackager;
import dev.vidprocme.media.transcode.HlsVariant;
import dev.vidprocme.media.transcode.Joiner;
import dev.vidprocme.media.transcode.Part;
import dev.vidprocme.media.transcode.PartEncoder;
import dev.vidprocme.media.transcode.RenditionPlan;
import dev.vidprocme.media.transcode.StreamProbe;
import dev.vidprocme.media.transcode.Thumbnails;
import dev.vidprocme.media.transcode.TranscodeCancelledException;
import dev.vidprocme.media.transcode.TranscodeException;
import dev.vidprocme.media.transcode.VerificationException;
import dev.vidprocme.records.Disposition;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.TranscodeResult;
import dev.vidprocme.records.TranscodeTask;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link TranscodeTask}: encodes a part of a rendition into the blob store, finishes a
 * rendition (fetch its parts, encode the audio, join, package HLS, verify, publish) or makes the
 * thumbnails. Every object lands under a deterministic key and every row on its (job, name) key, so
 * a unit replayed after a failure overwrites what it wrote before.
 *
 * <p>Attempts follow {@link DecodeSegmentFunction}: the {@link WorkUnits} ledger counts them across
 * restores and drops units of cancelled jobs; a watchdog enforces {@code
 * vidproc.transcode.deadline}; a failure is RETRY while the {@link RetryPolicy} allows, then
 * DEAD_LETTER; nothing completes while the operator closes (the unit is replayed from the
 * checkpoint).
 *
 * <p>The whole-track audio must be one piece so joins cannot click. It is encoded beside the video
 * of one part ({@link #audioPart}) and stored next to the parts, not in the finishing unit: AAC
 * encodes on one core, so there it ran alone after the last part for about a sixth of a 30 s 720p
 * job's encode time (see docs/benchmarks.md, "Transcoding"). The finishing unit still encodes it
 * when the stored track is missing.
 */
public final class TranscodeFunction extends RichAsyncFunction<TranscodeTask, TranscodeResult> {
    private static final Logger LOG = LoggerFactory.getLogger(TranscodeFunction.class);

    private final StageSettings settings;
    private final TranscodeSettings transcode;
    private final Backends backends;
    private transient BlobStore blobs;
    private transient Database database;
    private transient OutputRepository outputs;
    private transient WorkUnits units;
    private transient ThreadPoolExecutor workers;
    private transient ExecutorService audioEncoders;
    private transient Overruns overruns;
    private transient Counter partsEncoded;
    private transient Counter outputsPublished;
    private transient Counter retries;
    private transient Counter deadLetters;
    private transient Counter dropped;
    private transient volatile boolean closed;

    public TranscodeFunction(
            StageSettings settings, TranscodeSettings transcode, Backends backends) {
        this.settings = settings;
        this.transcode = transcode;
        this.backends = backends;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        blobs = backends.blobStore(settings.blobStoreUri());
        database = Database.connect(settings.db(), transcode.workers() + 1, "transcode");
        outputs = new OutputRepository(database.dataSource());
        units = new WorkUnits(database.dataSource());
        workers = Workers.prioritized("transcode", transcode.workers());
        audioEncoders = Workers.fifo("transcode-audio", transcode.workers());
        overruns = new Overruns(workers, "transcode");
        var metrics = getRuntimeContext().getMetricGroup();
        partsEncoded = metrics.counter("partsEncoded");
        outputsPublished = metrics.counter("outputsPublished");
        retries = metrics.counter("retries");
        deadLetters = metrics.counter("deadLetters");
        dropped = metrics.counter("unitsDropped");
        metrics.gauge("transcodeQueueLength", () -> workers.getQueue().size());
        metrics.gauge("workersStuck", () -> overruns.stuck());
    }

    @Override
    public void asyncInvoke(TranscodeTask task, ResultFuture<TranscodeResult> result) {
        OneShot<TranscodeResult> once = new OneShot<>(result);
        workers.execute(
                new PrioritizedWork(
                        task.priority(),
                        task.submittedAtMs(),
                        settings.queueAging().toMillis(),
                        () -> run(task, once)));
    }

    private void run(TranscodeTask task, OneShot<TranscodeResult> once) {
        if (closed) {
            return; // The operator is going away; the unit is replayed from the checkpoint.
        }
        try {
            settle(task, once, attempt(task, once));
        } catch (OperatorClosing e) {
            // Replayed from the checkpoint; completing now would race the shutdown.
        }
    }

    @Override
    public void timeout(TranscodeTask task, ResultFuture<TranscodeResult> result) {
        // A backstop for a unit that waited and retried past vidproc.transcode.timeout in all.
        deadLetters.inc();
        result.complete(
                List.of(
                        result(
                                task,
                                0,
                                0,
                                Disposition.DEAD_LETTER,
                                0,
                                FailureCode.DEADLINE_EXCEEDED,
                                "the unit waited and ran longer than vidproc.transcode.timeout",
                                FailureCode.DEADLINE_EXCEEDED.wireName())));
    }

    private TranscodeResult attempt(TranscodeTask task, OneShot<TranscodeResult> once)
            throws OperatorClosing {
        Optional<WorkUnits.Attempt> begun;
        try {
            begun =
                    units.start(
                            task.jobId(),
                            WorkUnits.TRANSCODE,
                            task.unitNumber(),
                            task.priority(),
                            null);
        } catch (SQLException e) {
            return result(
                    task,
                    0,
                    0,
                    Disposition.RETRY,
                    0,
                    FailureCode.STORAGE_FAILED,
                    "the work ledger is unreachable: " + e.getMessage(),
                    e.getClass().getName());
        }
        if (begun.isEmpty()) {
            return dropped(task);
        }
        WorkUnits.Attempt attempt = begun.get();
        Path temp = null;
        try (Overruns.Alarm alarm =
                overruns.arm(
                        transcode.deadline(),
                        () -> 0L,
                        () ->
                                settle(
                                        task,
                                        once,
                                        verdict(
                                                task,
                                                attempt,
                                                FailureCode.DEADLINE_EXCEEDED,
                                                FailureCode.DEADLINE_EXCEEDED.wireName(),
                                                "the unit did not finish within"
                                                        + " vidproc.transcode.deadline ("
                                                        + transcode.deadline()
                                                        + ")")))) {
            temp = Files.createTempDirectory("vidproc-transcode-");
            BooleanSupplier stop = () -> closed || once.isDone();
            if (task.isThumbnails()) {
                return thumbnails(task, attempt, temp, stop);
            }
            if (task.isFinal()) {
                return finish(task, attempt, temp, stop);
            }
            return part(task, attempt, temp, stop);
        } catch (TranscodeCancelledException e) {
            closing();
            // Only the watchdog stops a unit otherwise, and it has completed the unit already.
            return verdict(
                    task, attempt, FailureCode.DEADLINE_EXCEEDED, "cancelled", e.getMessage());
        } catch (VerificationException e) {
            closing();
            return verdict(
                    task,
                    attempt,
                    FailureCode.VERIFICATION_FAILED,
                    e.getClass().getName(),
                    e.getMessage());
        } catch (TranscodeException e) {
            closing();
            return verdict(
                    task,
                    attempt,
                    FailureCode.TRANSCODE_FAILED,
                    e.getClass().getName(),
                    e.getMessage());
        } catch (MediaException e) {
            closing();
            if (e.code().rejectsInput()) {
                return rejected(task, attempt, e.code(), e.getMessage());
            }
            return verdict(task, attempt, e.code(), e.code().wireName(), e.getMessage());
        } catch (InputNotAllowedException e) {
            return rejected(task, attempt, FailureCode.INPUT_NOT_ALLOWED, e.getMessage());
        } catch (MissingInput e) {
            return rejected(
                    task,
                    attempt,
                    FailureCode.INPUT_NOT_FOUND,
                    "the input does not exist any more");
        } catch (IOException | SQLException e) {
            closing();
            return verdict(
                    task,
                    attempt,
                    FailureCode.STORAGE_FAILED,
                    e.getClass().getName(),
                    "outputs could not be stored: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            closing();
            LOG.warn("job {} {}: transcode crashed", task.jobId(), describe(task), e);
            return verdict(
                    task,
                    attempt,
                    FailureCode.INTERNAL,
                    e.getClass().getName(),
                    "the transcoder crashed: " + e.getMessage());
        } finally {
            deleteTree(temp);
        }
    }

    /** Encodes one part and stores it under its work key. */
    private TranscodeResult part(
            TranscodeTask task, WorkUnits.Attempt attempt, Path temp, BooleanSupplier stop)
            throws MediaException,
                    TranscodeException,
                    IOException,
                    SQLException,
                    InputNotAllowedException,
                    MissingInput {
        if (alreadyPublished(task)) {
            // A replay after the rendition was published: nothing left to encode.
            return done(task, task.spanUs(), 0, attempt);
        }
        Path input = input(task, temp);
        RenditionPlan plan = plan(task, input);
        Part part = plan.parts().get(task.part());
        Future<Path> audio =
                task.part() == audioPart(plan)
                        ? audioEncoders.submit(
                                () ->
                                        PartEncoder.encodeAudio(
                                                input, plan, temp.resolve("audio.mka"), stop))
                        : null;
        long bytes;
        try {
            Path out =
                    PartEncoder.encodeVideo(
                            input, plan, part, temp.resolve(part.fileName()), us -> {}, stop);
            try (InputStream in = Files.newInputStream(out)) {
                bytes = blobs.put(partKey(task, task.part()), in, Long.MAX_VALUE);
            }
            Path track = audio == null ? null : awaitAudio(audio);
            if (track != null) {
                try (InputStream in = Files.newInputStream(track)) {
                    bytes += blobs.put(audioKey(task), in, Long.MAX_VALUE);
                }
            }
        } finally {
            stopAudio(audio);
        }
        units.finish(task.jobId(), WorkUnits.TRANSCODE, task.unitNumber(), "done");
        return done(task, part.spanUs(), bytes, attempt);
    }

    /** Joins, packages, verifies and publishes a rendition, then deletes its parts. */
    private TranscodeResult finish(
            TranscodeTask task, WorkUnits.Attempt attempt, Path temp, BooleanSupplier stop)
            throws MediaException,
                    TranscodeException,
                    IOException,
                    SQLException,
                    InputNotAllowedException,
                    MissingInput {
        if (alreadyPublished(task)) {
            // Published before a crash lost the completion; the parts may be back from a replay.
            deleteParts(task);
            return done(task, task.spanUs(), 0, attempt);
        }
        Path input = input(task, temp);
        RenditionPlan plan = plan(task, input);
        Path partsDir = Files.createDirectories(temp.resolve("parts"));
        List<Path> parts = new ArrayList<>();
        for (Part part : plan.parts()) {
            parts.add(fetch(partKey(task, part.index()), partsDir.resolve(part.fileName())));
        }
        Path audio = storedAudio(task, plan, temp);
        if (audio == null) {
            audio = PartEncoder.encodeAudio(input, plan, temp.resolve("audio.mka"), stop);
        }
        String container = task.rendition().container();
        String name = task.output();
        Path joined = temp.resolve("out").resolve(name + "." + Codecs.extension(container));
        Joiner.join(plan, parts, audio, container, joined, stop);
        backends.verifyOutput(task.jobId(), joined, plan.expectation());

        Map<String, Path> files = new LinkedHashMap<>();
        List<OutputRow> rows = new ArrayList<>();
        HlsVariant variant = null;
        if (container.equals("hls")) {
            Path dir = temp.resolve("out").resolve(name);
            variant = HlsPackager.packageVariant(name, joined, plan.outputFps(), dir, stop);
            try (Stream<Path> listing = Files.list(dir)) {
                for (Path file : listing.sorted().toList()) {
                    String fileName = file.getFileName().toString();
                    String objectName = "hls/" + name + "/" + fileName;
                    files.put(objectName, file);
                    OutputKind kind =
                            fileName.endsWith(".m3u8") ? OutputKind.PLAYLIST : OutputKind.SEGMENT;
                    rows.add(row(task, objectName, kind, file, name));
                }
            }
        } else {
            String objectName = mainName(task);
            files.put(objectName, joined);
            rows.add(row(task, objectName, OutputKind.RENDITION, joined, name));
        }
        long bytes = upload(task, files);
        HlsVariant published = variant;
        boolean stored =
                outputs.storeFinished(
                        task.jobId(),
                        task.unitNumber(),
                        rows,
                        c -> {
                            if (published == null) {
                                return List.of();
                            }
                            OutputRepository.lockHlsMaster(c, task.jobId());
                            return List.of(writeMaster(task, published, temp));
                        });
        if (!stored) {
            deleteQuietly(files.keySet(), task);
            return dropped(task);
        }
        deleteParts(task);
        return done(task, task.spanUs(), bytes, attempt);
    }

    /**
     * Adds (or replaces) this rendition's entry in the job's master playlist, keeping the entries
     * other renditions wrote; runs under the master's lock, so finishing renditions take turns.
     */
    private OutputRow writeMaster(TranscodeTask task, HlsVariant variant, Path temp)
            throws IOException {
        String name = "hls/" + HlsPackager.MASTER_PLAYLIST;
        String key = BlobKeys.output(task.jobId(), name);
        Map<String, String> entries = new LinkedHashMap<>();
        if (blobs.exists(key)) {
            String[] lines;
            try (InputStream in = blobs.open(key)) {
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            }
            for (int i = 0; i + 1 < lines.length; i++) {
                if (lines[i].startsWith("#EXT-X-STREAM-INF:")) {
                    entries.put(lines[i + 1].trim(), lines[i] + "\n" + lines[i + 1].trim() + "\n");
                }
            }
        }
        Path mine;
        try {
            mine = HlsPackager.writeMaster(temp.resolve("mine.m3u8"), List.of(variant));
        } catch (TranscodeException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<String> own = Files.readAllLines(mine, StandardCharsets.UTF_8);
        for (int i = 0; i + 1 < own.size(); i++) {
            if (own.get(i).startsWith("#EXT-X-STREAM-INF:")) {
                entries.put(own.get(i + 1).trim(), own.get(i) + "\n" + own.get(i + 1) + "\n");
            }
        }
        StringBuilder master =
                new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        // Ordered by variant path, so the playlist is the same whichever rendition finished last.
        entries.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> master.append(e.getValue()));
        byte[] body = master.toString().getBytes(StandardCharsets.UTF_8);
        blobs.put(key, body);
        return OutputRow.of(
                task.jobId(),
                name,
                OutputKind.PLAYLIST,
                BlobContentTypes.forKey(name),
                body.length,
                null);
    }

    /** Makes and publishes the poster, sprite sheets and their WebVTT index. */
    private TranscodeResult thumbnails(
            TranscodeTask task, WorkUnits.Attempt attempt, Path temp, BooleanSupplier stop)
            throws MediaException,
                    TranscodeException,
                    IOException,
                    SQLException,
                    InputNotAllowedException,
                    MissingInput {
        Path input = input(task, temp);
        Thumbnails.Result made =
                Thumbnails.make(input, task.video(), task.thumbnails(), temp.resolve("out"), stop);
        Map<String, Path> files = new LinkedHashMap<>();
        List<OutputRow> rows = new ArrayList<>();
        String folder = TranscodeResult.THUMBNAILS + "/";
        add(task, files, rows, folder, made.poster(), OutputKind.POSTER);
        for (Path sprite : made.sprites()) {
            add(task, files, rows, folder, sprite, OutputKind.SPRITE);
        }
        add(task, files, rows, folder, made.vtt(), OutputKind.VTT);
        long bytes = upload(task, files);
        if (!outputs.storeFinished(task.jobId(), task.unitNumber(), rows, c -> List.of())) {
            deleteQuietly(files.keySet(), task);
            return dropped(task);
        }
        return done(task, task.spanUs(), bytes, attempt);
    }

    private static void add(
            TranscodeTask task,
            Map<String, Path> files,
            List<OutputRow> rows,
            String folder,
            Path file,
            OutputKind kind)
            throws IOException {
        String name = folder + file.getFileName();
        files.put(name, file);
        rows.add(row(task, name, kind, file, null));
    }

    private static OutputRow row(
            TranscodeTask task, String name, OutputKind kind, Path file, String rendition)
            throws IOException {
        return OutputRow.of(
                task.jobId(),
                name,
                kind,
                BlobContentTypes.forKey(name),
                Files.size(file),
                rendition);
    }

    private long upload(TranscodeTask task, Map<String, Path> files) throws IOException {
        long bytes = 0;
        for (Map.Entry<String, Path> file : files.entrySet()) {
            try (InputStream in = Files.newInputStream(file.getValue())) {
                bytes +=
                        blobs.put(BlobKeys.output(task.jobId(), file.getKey()), in, Long.MAX_VALUE);
            }
        }
        return bytes;
    }

    /**
     * The input as a local file: the blob store's own file or an allowed {@code file://} path, or
     * for a store that keeps no local files, a copy staged in {@code temp}.
     */
    private Path input(TranscodeTask task, Path temp)
            throws InputNotAllowedException, IOException, MissingInput {
        try {
            return InputUris.resolve(task.inputUri(), blobs, settings.allowedInputPaths());
        } catch (InputNotAllowedException e) {
            String prefix = "blob:";
            if (!task.inputUri().startsWith(prefix)
                    || blobs.localPath(BlobKeys.check(task.inputUri().substring(prefix.length())))
                            .isPresent()) {
                throw e;
            }
            String key = task.inputUri().substring(prefix.length());
            try {
                return fetch(key, temp.resolve("input"));
            } catch (NoSuchFileException gone) {
                throw new MissingInput();
            }
        } catch (NoSuchFileException e) {
            throw new MissingInput();
        }
    }

    /** The object at {@code key} as a local file: linked where the store keeps one, else copied. */
    private Path fetch(String key, Path target) throws IOException {
        Optional<Path> local = blobs.localPath(key);
        if (local.isPresent()) {
            if (!Files.isRegularFile(local.get())) {
                throw new NoSuchFileException(blobs.describe(key));
            }
            // The concat demuxer wants every part in one folder it may write its list into.
            return Files.createSymbolicLink(target, local.get().toAbsolutePath());
        }
        try (InputStream in = blobs.open(key)) {
            Files.copy(in, target);
        }
        return target;
    }

    /** The same plan the planner made: it is a pure function of the input and the part target. */
    private RenditionPlan plan(TranscodeTask task, Path input)
            throws MediaException, TranscodeException {
        ProbeResult probe = MediaProbe.probe(input);
        RenditionPlan plan =
                RenditionPlan.of(
                        task.rendition(),
                        probe,
                        StreamProbe.probe(input),
                        transcode.partTargetUs());
        if (plan.parts().size() != task.parts()) {
            throw new IllegalStateException(
                    "the rendition now plans "
                            + plan.parts().size()
                            + " parts, not "
                            + task.parts()
                            + " (was vidproc.transcode.part-target changed mid-job?)");
        }
        return plan;
    }

    /**
     * The part whose unit also encodes the audio: the second, where there is one. Parts go round
     * the subtasks in order, so with an odd count the second lands on a subtask with one part fewer
     * than the first's, and the audio fills that gap instead of trailing the last part.
     */
    static int audioPart(RenditionPlan plan) {
        return plan.audioCodec() == null ? -1 : Math.min(1, plan.parts().size() - 1);
    }

    /** Waits for the audio encoded beside a part; its failure fails the part's attempt. */
    private static Path awaitAudio(Future<Path> audio) throws TranscodeException {
        try {
            return audio.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TranscodeException t) {
                throw t;
            }
            throw new TranscodeException("encoding the audio failed: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranscodeCancelledException("interrupted while encoding the audio");
        }
    }

    /**
     * Kills the audio encoder of a part that failed and waits for it, so it cannot write into the
     * temporary folder the attempt is about to delete.
     */
    private static void stopAudio(Future<Path> audio) {
        if (audio == null || audio.isDone()) {
            return;
        }
        audio.cancel(true);
        try {
            audio.get();
        } catch (CancellationException | ExecutionException e) {
            // Expected: it was cancelled, or failed because it was.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The audio track a part's unit stored, fetched into {@code temp}; null when the rendition has
     * no audio or the track is not there (parts stored by a version that encoded audio here).
     */
    private Path storedAudio(TranscodeTask task, RenditionPlan plan, Path temp) throws IOException {
        if (plan.audioCodec() == null || !blobs.exists(audioKey(task))) {
            return null;
        }
        return fetch(audioKey(task), temp.resolve("audio.mka"));
    }

    private boolean alreadyPublished(TranscodeTask task) throws SQLException {
        return outputs.find(task.jobId(), mainName(task)).isPresent();
    }

    /** The object whose row says the rendition was published (rows commit all at once). */
    private static String mainName(TranscodeTask task) {
        String container = task.rendition().container();
        return container.equals("hls")
                ? "hls/" + task.output() + "/" + HlsPackager.VARIANT_PLAYLIST
                : task.output() + "." + Codecs.extension(container);
    }

    /** Where part {@code index} of the task's rendition waits for its join. */
    static String partKey(TranscodeTask task, int index) {
        return BlobKeys.check(
                "work/"
                        + task.jobId()
                        + "/"
                        + task.output()
                        + "/"
                        + String.format("part-%05d.mp4", index));
    }

    /** Where the rendition's audio track, encoded beside one of its parts, waits for its join. */
    static String audioKey(TranscodeTask task) {
        return BlobKeys.check("work/" + task.jobId() + "/" + task.output() + "/audio.mka");
    }

    private void deleteParts(TranscodeTask task) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < task.parts(); i++) {
            keys.add(partKey(task, i));
        }
        keys.add(audioKey(task));
        for (String key : keys) {
            try {
                blobs.delete(key);
            } catch (IOException e) {
                LOG.info("job {}: could not delete part {}", task.jobId(), key, e);
            }
        }
    }

    private void deleteQuietly(Iterable<String> names, TranscodeTask task) {
        for (String name : names) {
            try {
                blobs.delete(BlobKeys.output(task.jobId(), name));
            } catch (IOException e) {
                LOG.debug("could not delete {} of a dropped unit", name, e);
            }
        }
    }

    /**
     * Completes the attempt unless the watchdog (or the worker) already did, and only then counts
     * and logs it, so an overrun attempt is reported once.
     */
    private void settle(TranscodeTask task, OneShot<TranscodeResult> once, TranscodeResult r) {
        if (!once.complete(r)) {
            return;
        }
        String unit = "job " + task.jobId() + " " + describe(task);
        UnitOutcomes.log(LOG, unit, r.disposition(), r.attempts(), r.message(), r.errorClass());
        switch (r.disposition()) {
            case DONE -> {
                if (task.isFinal()) {
                    outputsPublished.inc();
                } else {
                    partsEncoded.inc();
                }
            }
            case REJECTED -> {}
            case RETRY -> retries.inc();
            case DEAD_LETTER -> {
                deadLetters.inc();
                finishUnit(task, "failed");
            }
            case DROPPED -> {
                dropped.inc();
                finishUnit(task, "dropped");
            }
        }
    }

    private void finishUnit(TranscodeTask task, String state) {
        try {
            units.finish(task.jobId(), WorkUnits.TRANSCODE, task.unitNumber(), state);
        } catch (SQLException e) {
            LOG.debug("could not mark the unit {}; the tracker still learns it", state, e);
        }
    }

    private static String describe(TranscodeTask task) {
        return task.isFinal()
                ? "output " + task.output()
                : "output " + task.output() + " part " + task.part();
    }

    private TranscodeResult done(
            TranscodeTask task, long encodedUs, long bytes, WorkUnits.Attempt attempt) {
        return result(
                task, encodedUs, bytes, Disposition.DONE, attempt.attempts(), null, null, null);
    }

    private TranscodeResult rejected(
            TranscodeTask task, WorkUnits.Attempt attempt, FailureCode code, String message) {
        finishUnit(task, "failed");
        return result(
                task,
                0,
                0,
                Disposition.REJECTED,
                attempt.attempts(),
                code,
                message,
                code.wireName());
    }

    /** A failure that may pass: retried while the policy allows, then dead-lettered. */
    private TranscodeResult verdict(
            TranscodeTask task,
            WorkUnits.Attempt attempt,
            FailureCode code,
            String errorClass,
            String message) {
        return result(
                task,
                0,
                0,
                UnitOutcomes.afterFailure(settings.retry(), attempt),
                attempt.attempts(),
                code,
                message,
                errorClass);
    }

    private TranscodeResult dropped(TranscodeTask task) {
        return result(task, 0, 0, Disposition.DROPPED, 0, null, null, null);
    }

    private static TranscodeResult result(
            TranscodeTask task,
            long encodedUs,
            long bytes,
            Disposition disposition,
            int attempts,
            FailureCode code,
            String message,
            String errorClass) {
        return new TranscodeResult(
                task.jobId(),
                task.output(),
                task.outputIndex(),
                task.part(),
                task.parts(),
                encodedUs,
                task.video().durationMs() * 1000,
                bytes,
                disposition,
                attempts,
                code,
                message,
                errorClass);
    }

    /** A failure caused by the operator shutting down is not the unit's: it is replayed. */
    private void closing() throws OperatorClosing {
        OperatorClosing.check(closed);
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the temporary folder {}", dir, e);
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (overruns != null) {
            overruns.close();
        }
        Completions.stop(workers);
        Completions.stop(audioEncoders);
        if (database != null) {
            database.close();
        }
        if (blobs != null) {
            blobs.close();
        }
    }

    /** The job's input is gone: no attempt can work. */
    private static final class MissingInput extends Exception {
        MissingInput() {
            super(null, null, false, false);
        }
    }
}
