package dev.vidprocme.media.transcode;

import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.records.OutputSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;

/**
 * Makes one rendition in a local folder the way the pipeline does it unit by unit: plan the parts,
 * encode them (and the audio) on a pool of workers, join, verify, and package HLS. Used by tests
 * and benchmarks; the Flink graph runs the same steps as separate units.
 */
public final class Transcoder {
    private final ExecutorService workers;
    private final long targetPartUs;

    /**
     * @param workers runs the parts; its size is how many encoders run at once
     * @param targetPartUs the part length to aim for, 0 for one part
     */
    public Transcoder(ExecutorService workers, long targetPartUs) {
        this.workers = workers;
        this.targetPartUs = targetPartUs;
    }

    /** What a finished rendition left in its folder. */
    public record Rendition(
            RenditionPlan plan, Path output, MediaStreams probe, HlsVariant hlsVariant) {}

    /**
     * Writes rendition {@code spec} of {@code input} under {@code dir}: {@code <name>.mp4} or
     * {@code <name>.webm}, or for HLS the folder {@code <name>/} with its playlist and segments
     * (and {@code <name>.mp4}, the joined file it was cut from); {@code percent} hears the share of
     * the input encoded so far.
     */
    public Rendition transcode(
            Path input,
            ProbeResult probe,
            MediaStreams streams,
            OutputSpec spec,
            Path dir,
            DoubleConsumer percent,
            BooleanSupplier stop)
            throws TranscodeException {
        RenditionPlan plan = RenditionPlan.of(spec, probe, streams, targetPartUs);
        RenditionProgress progress = new RenditionProgress(plan, percent);
        Path partsDir = dir.resolve(spec.name() + ".parts");
        List<Future<Path>> parts = new ArrayList<>();
        for (Part part : plan.parts()) {
            Path out = partsDir.resolve(part.fileName());
            parts.add(
                    workers.submit(
                            () ->
                                    PartEncoder.encodeVideo(
                                            input, plan, part, out, progress.forPart(part), stop)));
        }
        Future<Path> audio =
                workers.submit(
                        () ->
                                PartEncoder.encodeAudio(
                                        input, plan, partsDir.resolve("audio.mka"), stop));
        List<Path> files = new ArrayList<>();
        for (Future<Path> part : parts) {
            files.add(await(part, parts));
        }
        Path audioFile = await(audio, parts);
        String container = spec.container();
        Path output = dir.resolve(spec.name() + "." + Codecs.extension(container));
        Joiner.join(plan, files, audioFile, container, output, stop);
        MediaStreams written = OutputVerifier.verify(output, plan.expectation());
        deleteTree(partsDir);
        HlsVariant variant = null;
        if (container.equals("hls")) {
            variant =
                    HlsPackager.packageVariant(
                            spec.name(), output, plan.outputFps(), dir.resolve(spec.name()), stop);
        }
        return new Rendition(plan, output, written, variant);
    }

    private static Path await(Future<Path> future, List<Future<Path>> all)
            throws TranscodeException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof TranscodeException t) {
                throw t;
            }
            throw new TranscodeException("a part failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | CancellationException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new TranscodeException("interrupted while waiting for parts", e);
        }
    }

    static void deleteTree(Path dir) throws TranscodeException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new TranscodeException("cannot delete " + dir, e);
        }
    }
}
