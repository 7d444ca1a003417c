package dev.vidprocme.media.scene;

import dev.vidprocme.records.Scene;
import dev.vidprocme.records.SceneSignals;
import dev.vidprocme.records.SceneTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the {@link SceneSignals} of a job's segments into its list of {@link Scene}s: the
 * transitions each segment decided, plus the ones only neighbours together can decide (a cut in the
 * first or last {@value SceneDetector#WINDOW} frames of a segment or exactly at its first frame, a
 * fade whose flatness changes across the boundary), then the shortest-scene rule over the whole
 * video. A pure function of its input, so a replayed job stores the same scenes.
 */
public final class SceneAssembler {
    private SceneAssembler() {}

    /**
     * @param segmentsInOrder every segment's signals, ordered by segment index; a segment that
     *     produced none (it failed) may be missing, and then boundary decisions next to it are made
     *     with what is there
     * @param durationMs the video's duration: where the last scene ends
     */
    public static List<Scene> assemble(List<SceneSignals> segmentsInOrder, long durationMs) {
        return scenes(transitions(segmentsInOrder), durationMs);
    }

    /** Every transition of the job, after the shortest-scene rule, in frame order. */
    public static List<SceneTransition> transitions(List<SceneSignals> segmentsInOrder) {
        List<SceneSignals> segments = new ArrayList<>();
        for (SceneSignals s : segmentsInOrder) {
            if (s != null && s.frameCount() > 0) {
                segments.add(s);
            }
        }
        segments.sort((a, b) -> Long.compare(a.firstFrame(), b.firstFrame()));
        TreeMap<Long, SceneTransition> found = new TreeMap<>();
        Map<Long, Double> diffs = new HashMap<>();
        Map<Long, Long> pts = new HashMap<>();
        for (int k = 0; k < segments.size(); k++) {
            SceneSignals s = segments.get(k);
            s.transitions().forEach(t -> found.put(t.frame(), t));
            long tailFrom = s.lastFrame() - s.tailPtsUs().length + 1;
            for (int j = 0; j < s.headPtsUs().length; j++) {
                pts.put(s.firstFrame() + j, s.headPtsUs()[j]);
                if (j > 0) {
                    diffs.put(s.firstFrame() + j, s.headDiffs()[j]);
                }
            }
            for (int j = 0; j < s.tailPtsUs().length; j++) {
                pts.put(tailFrom + j, s.tailPtsUs()[j]);
                if (tailFrom + j > s.firstFrame()) {
                    diffs.put(tailFrom + j, s.tailDiffs()[j]);
                }
            }
            if (k > 0 && adjacent(segments.get(k - 1), s)) {
                diffs.put(
                        s.firstFrame(),
                        Thumbnails.distance(segments.get(k - 1).tailThumb(), s.headThumb()));
            }
        }
        for (SceneSignals s : segments) {
            for (long f : edgePositions(s)) {
                Double d = diffs.get(f);
                if (d != null && SceneDetector.isCut(d, neighbours(diffs, f))) {
                    found.putIfAbsent(
                            f,
                            new SceneTransition(
                                    f, pts.get(f), Scene.CUT, SceneDetector.score(d), false));
                }
            }
        }
        for (int k = 1; k < segments.size(); k++) {
            SceneSignals before = segments.get(k - 1);
            SceneSignals after = segments.get(k);
            long f = after.firstFrame();
            if (adjacent(before, after)
                    && before.tailFlat() != after.headFlat()
                    && found.subMap(f - SceneDetector.WINDOW, true, f + SceneDetector.WINDOW, true)
                            .isEmpty()) {
                double d = diffs.getOrDefault(f, 0.0);
                found.put(
                        f,
                        new SceneTransition(
                                f,
                                pts.get(f),
                                Scene.FADE,
                                SceneDetector.score(d),
                                after.headFlat()));
            }
        }
        return shortestSceneRule(new ArrayList<>(found.values()));
    }

    /**
     * Drops transitions that would leave a scene shorter than {@link
     * SceneDetector#MIN_SCENE_FRAMES} after the previous one (or the start), keeping the earlier;
     * except that a fade-out followed closely by a fade-in (or any other change) gives way to it,
     * since that is where the new picture begins.
     */
    static List<SceneTransition> shortestSceneRule(List<SceneTransition> sorted) {
        List<SceneTransition> kept = new ArrayList<>();
        long last = 0;
        for (SceneTransition t : sorted) {
            if (t.frame() - last >= SceneDetector.MIN_SCENE_FRAMES) {
                kept.add(t);
                last = t.frame();
            } else if (!kept.isEmpty()
                    && kept.get(kept.size() - 1).intoFlat()
                    && !t.intoFlat()
                    && t.frame() > last) {
                kept.set(kept.size() - 1, t);
                last = t.frame();
            }
        }
        return kept;
    }

    /** Turns transitions into scenes that tile the video from 0 to {@code durationMs}. */
    static List<Scene> scenes(List<SceneTransition> transitions, long durationMs) {
        List<Scene> scenes = new ArrayList<>();
        long start = 0;
        String kind = Scene.START;
        double score = 0;
        for (SceneTransition t : transitions) {
            long at = t.ptsUs() / 1000;
            if (at <= start || at >= durationMs) {
                continue;
            }
            scenes.add(new Scene(scenes.size(), start, at, kind, score));
            start = at;
            kind = t.kind();
            score = t.score();
        }
        scenes.add(new Scene(scenes.size(), start, Math.max(start, durationMs), kind, score));
        return scenes;
    }

    private static boolean adjacent(SceneSignals before, SceneSignals after) {
        return before.lastFrame() + 1 == after.firstFrame();
    }

    /** Positions the segment left undecided: its first frame and its first and last few. */
    private static List<Long> edgePositions(SceneSignals s) {
        List<Long> out = new ArrayList<>();
        long first = s.firstFrame();
        long last = s.lastFrame();
        for (long f = first; f <= Math.min(last, first + SceneDetector.WINDOW); f++) {
            out.add(f);
        }
        for (long f = Math.max(first + SceneDetector.WINDOW + 1, last - SceneDetector.WINDOW + 1);
                f <= last;
                f++) {
            out.add(f);
        }
        return out;
    }

    private static double[] neighbours(Map<Long, Double> diffs, long f) {
        double[] out = new double[2 * SceneDetector.WINDOW];
        int k = 0;
        for (long j = f - SceneDetector.WINDOW; j <= f + SceneDetector.WINDOW; j++) {
            Double d = diffs.get(j);
            if (j != f && d != null) {
                out[k++] = d;
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }
}
