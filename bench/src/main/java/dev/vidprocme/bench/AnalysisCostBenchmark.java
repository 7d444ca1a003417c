package dev.vidprocme.bench;

import dev.vidprocme.analysis.FrameStats;
import dev.vidprocme.analysis.JpegDecoder;
import dev.vidprocme.analysis.LumaThumbnail;
import dev.vidprocme.analysis.OcrEngine;
import dev.vidprocme.analysis.OcrSettings;
import dev.vidprocme.analysis.RgbImage;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SegmentDecoder;
import dev.vidprocme.media.SegmentPlanner;
import dev.vidprocme.media.SyntheticClips;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobRequest;
import dev.vidprocme.records.JobSpec;
import dev.vidprocme.records.SegmentTask;
import dev.vidprocme.records.TextLine;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * What the offline analysers cost per 720p frame as a share of what decoding that frame costs: the
 * decode stage (FFmpeg decode + JPEG encode, one thread each) is the baseline, measured in the same
 * run as JPEG-to-RGB (FFmpeg and ImageIO), frame statistics and OCR on frames it produced.
 */
public final class AnalysisCostBenchmark {
    private static final String SHARED_CLIP = "videos/pyscenedetect__testvideo.mp4";

    private AnalysisCostBenchmark() {}

    public static void main(String[] args) {
        Bench.main(
                args,
                "analysis",
                AnalysisCostBenchmark::run,
                "reps",
                "clip",
                "tmp",
                "frames",
                "threads",
                "max-side");
    }

    private static void run(Map<String, String> options, Path work) throws Exception {
        int reps = Bench.intOption(options, "reps", 3);
        int sampleFrames = Bench.intOption(options, "frames", 8);
        OcrSettings settings =
                OcrSettings.defaults()
                        .withIntraOpThreads(Bench.intOption(options, "threads", 1))
                        .withMaxSideLen(
                                Bench.intOption(
                                        options, "max-side", OcrSettings.defaults().maxSideLen()));
        Path clip = options.containsKey("clip") ? Path.of(options.get("clip")) : defaultClip(work);
        ProbeResult probe = MediaProbe.probe(clip);
        System.out.printf(
                "clip %s: %s %dx%d, %d frames; load average %.1f; OCR intra-op threads %d,"
                        + " detector max side %d%n",
                clip.getFileName(),
                probe.video().codec(),
                probe.video().width(),
                probe.video().height(),
                probe.framePtsUs().length,
                Bench.loadAverage(),
                settings.intraOpThreads(),
                settings.maxSideLen());

        System.out.println("warm-up ...");
        List<byte[]> jpegs = decode(clip, probe, sampleFrames, null);
        try (OcrEngine ocr = OcrEngine.open(settings);
                JpegDecoder jpegDecoder = new JpegDecoder()) {
            List<RgbImage> frames = new ArrayList<>();
            for (byte[] jpeg : jpegs) {
                frames.add(jpegDecoder.decode(jpeg));
            }
            for (RgbImage frame : frames) {
                ocr.read(frame);
                FrameStats.measure(frame, null);
            }
            List<TextLine> sample = ocr.read(frames.get(0));
            System.out.printf(
                    "%d analysis frames of %dx%d; OCR of the first: %s%n",
                    frames.size(),
                    frames.get(0).width(),
                    frames.get(0).height(),
                    sample.stream().map(TextLine::text).toList());

            double[] decodeMs = new double[reps];
            double[] decodeCpuMs = new double[reps];
            double[] ffJpegMs = new double[reps];
            double[] imageIoMs = new double[reps];
            double[] statsMs = new double[reps];
            double[] statsCpuMs = new double[reps];
            double[] ocrMs = new double[reps];
            double[] ocrCpuMs = new double[reps];
            for (int rep = 0; rep < reps; rep++) {
                long[] count = new long[1];
                double cpu = Bench.cpuSeconds();
                long start = System.nanoTime();
                decode(clip, probe, 0, count);
                decodeMs[rep] = (System.nanoTime() - start) / 1e6 / count[0];
                decodeCpuMs[rep] = (Bench.cpuSeconds() - cpu) * 1e3 / count[0];

                start = System.nanoTime();
                for (byte[] jpeg : jpegs) {
                    jpegDecoder.decode(jpeg);
                }
                ffJpegMs[rep] = (System.nanoTime() - start) / 1e6 / jpegs.size();

                start = System.nanoTime();
                for (byte[] jpeg : jpegs) {
                    RgbImage.of(ImageIO.read(new ByteArrayInputStream(jpeg)));
                }
                imageIoMs[rep] = (System.nanoTime() - start) / 1e6 / jpegs.size();

                long thread = threadCpuNanos();
                start = System.nanoTime();
                LumaThumbnail previous = null;
                for (RgbImage frame : frames) {
                    FrameStats.measure(frame, previous);
                    previous = FrameStats.thumbnail(frame);
                }
                statsMs[rep] = (System.nanoTime() - start) / 1e6 / frames.size();
                statsCpuMs[rep] = (threadCpuNanos() - thread) / 1e6 / frames.size();

                thread = threadCpuNanos();
                start = System.nanoTime();
                for (RgbImage frame : frames) {
                    ocr.read(frame);
                }
                ocrMs[rep] = (System.nanoTime() - start) / 1e6 / frames.size();
                // One intra-op thread: ONNX Runtime runs on the calling thread.
                ocrCpuMs[rep] = (threadCpuNanos() - thread) / 1e6 / frames.size();
                System.out.printf(
                        "rep %d: decode %.2f ms/frame (cpu %.2f), jpeg->rgb ffmpeg %.2f imageio"
                                + " %.2f, stats %.2f (cpu %.2f), ocr %.1f (cpu %.1f)%n",
                        rep + 1,
                        decodeMs[rep],
                        decodeCpuMs[rep],
                        ffJpegMs[rep],
                        imageIoMs[rep],
                        statsMs[rep],
                        statsCpuMs[rep],
                        ocrMs[rep],
                        ocrCpuMs[rep]);
            }
            double decode = Bench.median(decodeMs);
            double decodeCpu = Bench.median(decodeCpuMs);
            System.out.println();
            System.out.printf(
                    "median ms/frame: decode %.2f (cpu %.2f), jpeg->rgb ffmpeg %.2f, imageio %.2f,"
                            + " stats %.2f (cpu %.2f), ocr %.1f (cpu %.1f)%n",
                    decode,
                    decodeCpu,
                    Bench.median(ffJpegMs),
                    Bench.median(imageIoMs),
                    Bench.median(statsMs),
                    Bench.median(statsCpuMs),
                    Bench.median(ocrMs),
                    Bench.median(ocrCpuMs));
            System.out.printf(
                    "ratio to decode per frame, wall: ocr %.1f, stats %.3f, jpeg->rgb %.3f;"
                            + " cpu: ocr %.1f, stats %.3f%n",
                    Bench.median(ocrMs) / decode,
                    Bench.median(statsMs) / decode,
                    Bench.median(ffJpegMs) / decode,
                    Bench.median(ocrCpuMs) / decodeCpu,
                    Bench.median(statsCpuMs) / decodeCpu);
            System.out.printf(
                    "ratio imageio/ffmpeg jpeg->rgb: %.2f%n",
                    Bench.median(imageIoMs) / Bench.median(ffJpegMs));
        }
    }

    private static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * Decodes the whole clip as one segment on one decoder thread and one encoder thread; keeps
     * {@code keep} JPEGs spread evenly over it (the analysis frames) and counts frames in {@code
     * count}.
     */
    private static List<byte[]> decode(Path clip, ProbeResult probe, int keep, long[] count)
            throws Exception {
        JobRequest request =
                new JobRequest(
                        "bench",
                        clip.toUri().toString(),
                        new JobSpec(null, null, FrameSpec.everyFrame(), null),
                        System.currentTimeMillis());
        List<SegmentTask> tasks = SegmentPlanner.plan(request, probe, 0);
        int total = probe.framePtsUs().length;
        long every = keep <= 0 ? Long.MAX_VALUE : Math.max(1, total / keep);
        List<byte[]> kept = new ArrayList<>();
        SegmentDecoder decoder = new SegmentDecoder(1, 1);
        long frames = 0;
        for (SegmentTask task : tasks) {
            frames +=
                    decoder.decode(
                                    clip,
                                    task,
                                    (index, ptsUs, width, height, jpeg) -> {
                                        if (index % every == every / 2 && kept.size() < keep) {
                                            kept.add(jpeg);
                                        }
                                    },
                                    () -> false)
                            .frames();
        }
        if (count != null) {
            count[0] = frames;
        }
        return kept;
    }

    /** The shared 720p test video (it has burned-in text), else a 720p test pattern. */
    private static Path defaultClip(Path work) throws Exception {
        Path shared = Bench.sharedMedia();
        if (shared != null && Files.isRegularFile(shared.resolve(SHARED_CLIP))) {
            return shared.resolve(SHARED_CLIP);
        }
        System.out.println("(shared media not found: making a 10 s 1280x720 25 fps test pattern)");
        return SyntheticClips.testPattern(work.resolve("clip.mp4"), 10, 25, 1280, 720);
    }
}
