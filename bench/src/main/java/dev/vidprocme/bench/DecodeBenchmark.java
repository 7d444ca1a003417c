package dev.vidprocme.bench;

import dev.vidprocme.io.blob.BlobKeys;
import dev.vidprocme.io.blob.LocalBlobStore;
import dev.vidprocme.job.config.PipelineOptions;
import dev.vidprocme.media.FrameSink;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SegmentDecoder;
import dev.vidprocme.media.SegmentPlanner;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/** The decode stage's frames/s against the ffmpeg command line on the same clip. */
public final class DecodeBenchmark {
    private static final int QUALITY = 93; // FrameSpec maps it to qscale 4, i.e. -q:v 4
    private static final String SHARED_CLIP = "videos/pyscenedetect__testvideo.mp4";

    private final Path clip;
    private final Path work;
    private final FrameSpec frames = new FrameSpec(null, null, QUALITY);
    private int runs;

    private DecodeBenchmark(Path clip, Path work) {
        this.clip = clip;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options =
                Bench.options(args, "reps", "clip", "tmp", "workers", "threads", "segment-s");
        int reps = Bench.intOption(options, "reps", 5);
        int workers =
                Bench.intOption(options, "workers", PipelineOptions.DECODE_WORKERS.defaultValue());
        int threads =
                Bench.intOption(options, "threads", PipelineOptions.DECODER_THREADS.defaultValue());
        long segmentS =
                Bench.intOption(
                        options,
                        "segment-s",
                        (int) PipelineOptions.SEGMENT_TARGET.defaultValue().toSeconds());
        Path tmp = Path.of(options.getOrDefault("tmp", System.getProperty("java.io.tmpdir")));
        Path work =
                Files.createTempDirectory(Files.createDirectories(tmp), "vidproc-decode-bench-");
        try {
            Path clip =
                    options.containsKey("clip") ? Path.of(options.get("clip")) : defaultClip(work);
            new DecodeBenchmark(clip.toAbsolutePath(), work)
                    .run(reps, workers, threads, segmentS * 1_000_000);
        } finally {
            Bench.deleteTree(work);
        }
    }

    /**
     * The shared 720p test video if this machine has it, else a 20 s 1280x720 30 fps test pattern.
     */
    private static Path defaultClip(Path work) throws Exception {
        Path shared = Bench.sharedMedia();
        if (shared != null && Files.isRegularFile(shared.resolve(SHARED_CLIP))) {
            return shared.resolve(SHARED_CLIP);
        }
        System.out.println("(shared media not found: making a 20 s 1280x720 30 fps test pattern)");
        return SyntheticClips.testPattern(work.resolve("clip.mp4"), 20, 30, 1280, 720);
    }

    private void run(int reps, int workers, int threads, long targetUs) throws Exception {
        ProbeResult probe = MediaProbe.probe(clip);
        System.out.printf(
                "clip %s: %s %dx%d, %.3f fps, %d frames; %d cores; JPEG quality %d = -q:v %d%n",
                clip.getFileName(),
                probe.video().codec(),
                probe.video().width(),
                probe.video().height(),
                probe.video().fps(),
                probe.framePtsUs().length,
                Runtime.getRuntime().availableProcessors(),
                QUALITY,
                frames.qscale());
        System.out.println("pipeline (a): 1 segment, 1 decoder, FFmpeg threads 0 (auto)");
        System.out.printf(
                "pipeline (b): %d planned segment(s) (target %d s), %d decode workers, FFmpeg"
                        + " threads %d%n",
                plan(probe, targetUs).size(), targetUs / 1_000_000, workers, threads);

        Variant ffmpeg = new Variant("ffmpeg -q:v 4", reps);
        Variant single = new Variant("pipeline (a)", reps);
        Variant concurrent = new Variant("pipeline (b)", reps);
        System.out.println("warm-up ...");
        runFfmpeg();
        runPipeline(1, 0, 0);
        runPipeline(workers, threads, targetUs);
        for (int rep = 0; rep < reps; rep++) {
            // Alternate the order so a slow phase of the shared machine does not favour one side.
            if (rep % 2 == 0) {
                ffmpeg.add(rep, runFfmpeg());
                single.add(rep, runPipeline(1, 0, 0));
                concurrent.add(rep, runPipeline(workers, threads, targetUs));
            } else {
                concurrent.add(rep, runPipeline(workers, threads, targetUs));
                single.add(rep, runPipeline(1, 0, 0));
                ffmpeg.add(rep, runFfmpeg());
            }
            System.out.printf(
                    "rep %d: ffmpeg %.1f fps, pipeline (a) %.1f fps, pipeline (b) %.1f fps%n",
                    rep + 1, ffmpeg.fps[rep], single.fps[rep], concurrent.fps[rep]);
        }
        System.out.println();
        for (Variant v : List.of(ffmpeg, single, concurrent)) {
            System.out.println(v.summary());
        }
        double base = Bench.median(ffmpeg.fps);
        double baseCpu = Bench.median(ffmpeg.cpuMsPerFrame);
        System.out.printf(
                "ratio pipeline/ffmpeg, median frames/s:  (a) %.2f, (b) %.2f   [target >= 0.8]%n",
                Bench.median(single.fps) / base, Bench.median(concurrent.fps) / base);
        System.out.printf(
                "ratio ffmpeg/pipeline, median CPU/frame: (a) %.2f, (b) %.2f   (1.00 = same CPU"
                        + " cost per frame)%n",
                baseCpu / Bench.median(single.cpuMsPerFrame),
                baseCpu / Bench.median(concurrent.cpuMsPerFrame));
    }

    private List<SegmentTask> plan(ProbeResult probe, long targetUs) {
        JobRequest request =
                new JobRequest(
                        "bench",
                        clip.toUri().toString(),
                        new JobSpec(null, null, frames, null),
                        System.currentTimeMillis());
        return SegmentPlanner.plan(request, probe, targetUs);
    }

    private Sample runFfmpeg() throws Exception {
        Path out = work.resolve("run-" + ++runs);
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        Bench.FolderStats stats = FfmpegCli.extract(clip, out, frames.qscale());
        long elapsed = System.nanoTime() - start;
        cpu = Bench.cpuSeconds() - cpu;
        Bench.deleteTree(out);
        return new Sample(stats.files(), stats.bytes(), elapsed, cpu);
    }

    /**
     * Probe, plan with {@code targetUs} (0: one segment), decode on {@code workers} threads into a
     * blob store.
     */
    private Sample runPipeline(int workers, int decoderThreads, long targetUs) throws Exception {
        Path out = work.resolve("run-" + ++runs);
        LocalBlobStore blobs = new LocalBlobStore(out);
        SegmentDecoder decoder = new SegmentDecoder(decoderThreads);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        AtomicLong bytes = new AtomicLong();
        long frameCount = 0;
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        try {
            List<Future<Long>> segments = new ArrayList<>();
            for (SegmentTask task : plan(MediaProbe.probe(clip), targetUs)) {
                segments.add(pool.submit(() -> decode(decoder, task, blobs, bytes)));
            }
            for (Future<Long> segment : segments) {
                frameCount += segment.get();
            }
        } finally {
            pool.shutdown();
        }
        long elapsed = System.nanoTime() - start;
        cpu = Bench.cpuSeconds() - cpu;
        Bench.deleteTree(out);
        return new Sample(frameCount, bytes.get(), elapsed, cpu);
    }

    /** Decodes one segment the way the decode stage does, each JPEG into the blob store. */
    private long decode(
            SegmentDecoder decoder, SegmentTask task, LocalBlobStore blobs, AtomicLong bytes)
            throws Exception {
        FrameSink sink =
                (index, ptsUs, width, height, jpeg) -> {
                    blobs.put(BlobKeys.frame(task.jobId(), index), jpeg);
                    bytes.addAndGet(jpeg.length);
                };
        return decoder.decode(clip, task, sink, () -> false).frames();
    }

    /** One timed extraction: frames and JPEG bytes written, wall nanoseconds, CPU seconds. */
    private record Sample(long frames, long bytes, long nanos, double cpuSeconds) {}

    /** The samples of one side of the comparison. */
    private static final class Variant {
        private final String name;
        private final double[] fps;
        private final double[] cpuMsPerFrame;
        private long frames = -1;
        private long bytes;

        Variant(String name, int reps) {
            this.name = name;
            this.fps = new double[reps];
            this.cpuMsPerFrame = new double[reps];
        }

        void add(int rep, Sample sample) {
            if (frames >= 0 && frames != sample.frames()) {
                throw new IllegalStateException(
                        name + " wrote " + sample.frames() + " frames, earlier " + frames);
            }
            fps[rep] = sample.frames() / Bench.seconds(sample.nanos());
            cpuMsPerFrame[rep] = sample.cpuSeconds() * 1000 / sample.frames();
            frames = sample.frames();
            bytes = sample.bytes();
        }

        String summary() {
            return String.format(
                    "%-14s median %6.1f frames/s (range %.1f-%.1f), CPU %.2f ms/frame, %d frames,"
                            + " %.0f JPEG bytes/frame",
                    name,
                    Bench.median(fps),
                    Bench.min(fps),
                    Bench.max(fps),
                    Bench.median(cpuMsPerFrame),
                    frames,
                    (double) bytes / frames);
        }
    }
}
