package dev.vidprocme.media.scene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hard cuts published for the shared test videos ({@code ../shared/media/scene_cuts.json}), and
 * how well a list of found cuts matches them.
 *
 * <p>The file holds, per video, the expected output of each of PySceneDetect's detectors. The hard
 * cuts are taken as the cuts on which every fast-cut detector that reports any cut for the video
 * agrees (Content, Adaptive, Hash and Histogram; the Threshold detector is for fades by design):
 * where they disagree, the extra entries are fades, a dissolve or histogram noise (on {@code
 * testvideo.mp4}, 394 and 691 are fade-ins and fade-outs seen by eye).
 */
public final class PublishedCuts {
    private static final List<String> CUT_DETECTORS =
            List.of("ContentDetector", "AdaptiveDetector", "HashDetector", "HistogramDetector");

    private PublishedCuts() {}

    /** Video file name to its published hard cuts (0-based first frames of the new scene). */
    public static Map<String, List<Long>> hardCuts(Path sceneCutsJson) throws IOException {
        JsonNode videos = new ObjectMapper().readTree(sceneCutsJson.toFile()).path("videos");
        Map<String, List<Long>> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = videos.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> video = it.next();
            List<List<Long>> lists = new ArrayList<>();
            collect(video.getValue().path("published"), lists);
            List<Long> agreed = null;
            for (List<Long> list : lists) {
                if (list.isEmpty()) {
                    continue;
                }
                if (agreed == null) {
                    agreed = new ArrayList<>(list);
                } else {
                    agreed.retainAll(list);
                }
            }
            out.put(video.getKey(), agreed == null ? List.of() : agreed);
        }
        return out;
    }

    /** Lists under a key naming a fast-cut detector's default run, however deep. */
    private static void collect(JsonNode node, List<List<Long>> lists) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            boolean detector =
                    field.getKey().contains(".default")
                            && CUT_DETECTORS.stream().anyMatch(field.getKey()::contains);
            JsonNode cuts =
                    field.getValue().isArray() ? field.getValue() : field.getValue().path("cuts");
            if (detector && cuts.isArray()) {
                List<Long> list = new ArrayList<>();
                cuts.forEach(c -> list.add(c.asLong()));
                lists.add(list);
            } else if (field.getValue().isObject()) {
                collect(field.getValue(), lists);
            }
        }
    }

    /** How a list of found cuts compares with the truth. */
    public record Accuracy(int truth, int found, int matched) {
        public double precision() {
            return found == 0 ? (truth == 0 ? 1 : 0) : (double) matched / found;
        }

        public double recall() {
            return truth == 0 ? 1 : (double) matched / truth;
        }

        public Accuracy plus(Accuracy other) {
            return new Accuracy(truth + other.truth, found + other.found, matched + other.matched);
        }
    }

    /** Matches each true cut with at most one found cut within {@code tolerance} frames. */
    public static Accuracy compare(List<Long> truth, List<Long> found, int tolerance) {
        List<Long> left = new ArrayList<>(found);
        int matched = 0;
        for (long t : truth) {
            Long best = null;
            for (Long f : left) {
                if (Math.abs(f - t) <= tolerance
                        && (best == null || Math.abs(f - t) < Math.abs(best - t))) {
                    best = f;
                }
            }
            if (best != null) {
                left.remove(best);
                matched++;
            }
        }
        return new Accuracy(truth.size(), found.size(), matched);
    }
}
