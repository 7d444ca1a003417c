package dev.vidprocme.bench;

import dev.vidprocme.media.FrameDecoder;
import dev.vidprocme.media.MediaProbe;
import dev.vidprocme.media.ProbeResult;
import dev.vidprocme.media.SegmentDecoder;
import dev.vidprocme.media.scene.PublishedCuts;
import dev.vidprocme.media.scene.SceneClips;
import dev.vidprocme.media.scene.SceneScan;
import dev.vidprocme.records.Scene;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What scene detection costs and how accurate it is: decodes a 720p clip (the shared {@code
 * pyscenedetect__testvideo.mp4}, else a synthetic one) with and without the detector, alternating,
 * and prints the detector's CPU per frame as a share of decoding's; then precision and recall
 * against the published hard cuts of the shared videos, and the synthetic clip's known cuts.
 *
 * <p>Options: {@code --reps N} (default 5) runs of each, {@code --threads N} decoder threads
 * (default 1: one core's work, the least noisy measure), {@code --tmp DIR}.
 */
public final class SceneDetectionBenchmark {
    private SceneDetectionBenchmark() {}

    public static void main(String[] args) {
        Bench.main(args, "scenes", SceneDetectionBenchmark::run, "reps", "threads", "tmp");
    }

    private static void run(Map<String, String> options, Path work) throws Exception {
        int reps = Bench.intOption(options, "reps", 5);
        int threads = Bench.intOption(options, "threads", 1);
        Path shared = Bench.sharedMedia();
        Path clip =
                shared != null
                        ? shared.resolve("videos/pyscenedetect__testvideo.mp4")
                        : SceneClips.transitions(work.resolve("transitions-720p.mp4"), 1280, 720);
        ProbeResult probe = MediaProbe.probe(clip);
        long frames = probe.video().frameCount();
        System.out.printf(
                "clip %s, %dx%d, %d frames; %d decoder thread(s), %d rep(s) each, load %.2f%n",
                clip.getFileName(),
                probe.video().width(),
                probe.video().height(),
                frames,
                threads,
                reps,
                Bench.loadAverage());
        SegmentDecoder with = new SegmentDecoder(threads, 1);
        SegmentDecoder without = with.withoutSceneDetection();
        double[] cpuWith = new double[reps];
        double[] cpuWithout = new double[reps];
        double[] wallWith = new double[reps];
        double[] wallWithout = new double[reps];
        decode(clip, probe, without); // warm-up: page cache, JIT, FFmpeg's tables
        for (int rep = 0; rep < reps; rep++) {
            double[] a = decode(clip, probe, without);
            double[] b = decode(clip, probe, with);
            cpuWithout[rep] = a[0] * 1000 / frames;
            wallWithout[rep] = a[1] * 1000 / frames;
            cpuWith[rep] = b[0] * 1000 / frames;
            wallWith[rep] = b[1] * 1000 / frames;
        }
        double base = Bench.median(cpuWithout);
        double detect = Bench.median(cpuWith);
        System.out.printf(
                "decode only:           CPU %.3f ms/frame (range %.3f-%.3f), wall %.3f ms/frame%n",
                base, Bench.min(cpuWithout), Bench.max(cpuWithout), Bench.median(wallWithout));
        System.out.printf(
                "decode + detection:    CPU %.3f ms/frame (range %.3f-%.3f), wall %.3f ms/frame%n",
                detect, Bench.min(cpuWith), Bench.max(cpuWith), Bench.median(wallWith));
        System.out.printf(
                "detector cost / decode cost, median CPU per frame: %.3f   [%.3f ms/frame]%n",
                (detect - base) / base, detect - base);

        FrameDecoder decoder = new SegmentDecoder(1, 1);
        if (shared != null) {
            PublishedCuts.Accuracy total = new PublishedCuts.Accuracy(0, 0, 0);
            for (var video : PublishedCuts.hardCuts(shared.resolve("scene_cuts.json")).entrySet()) {
                List<Long> cuts = cuts(shared.resolve("videos").resolve(video.getKey()), decoder);
                PublishedCuts.Accuracy a = PublishedCuts.compare(video.getValue(), cuts, 1);
                total = total.plus(a);
                System.out.printf(
                        "%-32s published %s, found %s: precision %.2f, recall %.2f%n",
                        video.getKey(), video.getValue(), cuts, a.precision(), a.recall());
            }
            System.out.printf(
                    "shared videos, all hard cuts (+-1 frame): precision %.2f, recall %.2f"
                            + "   [target >= 0.9]%n",
                    total.precision(), total.recall());
        } else {
            System.out.println("shared media absent: no published cuts to compare with");
        }
        Path synthetic = SceneClips.transitions(work.resolve("transitions.mp4"), 320, 180);
        List<Long> cuts = cuts(synthetic, decoder);
        PublishedCuts.Accuracy a = PublishedCuts.compare(SceneClips.CUTS, cuts, 1);
        System.out.printf(
                "synthetic clip: cuts %s, found %s: precision %.2f, recall %.2f%n",
                SceneClips.CUTS, cuts, a.precision(), a.recall());
        Files.deleteIfExists(synthetic);
    }

    /** CPU seconds and wall seconds of decoding the whole clip as one segment. */
    private static double[] decode(Path clip, ProbeResult probe, FrameDecoder decoder)
            throws Exception {
        double cpu = Bench.cpuSeconds();
        long start = System.nanoTime();
        SceneScan.signals(clip, probe, decoder, 0);
        return new double[] {Bench.cpuSeconds() - cpu, Bench.seconds(System.nanoTime() - start)};
    }

    private static List<Long> cuts(Path video, FrameDecoder decoder) throws Exception {
        return SceneScan.transitions(video, decoder, 2_000_000).stream()
                .filter(t -> t.kind().equals(Scene.CUT))
                .map(t -> t.frame())
                .toList();
    }
}
