package dev.vidprocme.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples of the on-screen text a job's OCR read, fetched through the API for the run summary: the
 * first frame of each scene is an analysis frame, so it looks there.
 */
final class FrameText {
    /** Lines read less surely than this are left out of a sample; they are mostly noise. */
    static final double MIN_CONFIDENCE = 0.8;

    /** Scenes looked at, so a video with thousands of cuts costs a bounded number of requests. */
    static final int MAX_SCENES = 10;

    /** One line of text and the frame it was read in. */
    record Line(long frameIndex, long ptsMs, String text) {}

    private FrameText() {}

    /**
     * Up to {@code max} lines read at the starts of the first scenes, in video order.
     *
     * @param scenes the items of {@code GET /v1/jobs/{id}/scenes}
     */
    static List<Line> sample(ApiClient client, String id, JsonNode scenes, int max)
            throws IOException, InterruptedException {
        List<Line> lines = new ArrayList<>();
        long total = client.frames(id, 0, 1).path("total").asLong();
        int looked = 0;
        for (JsonNode scene : scenes) {
            if (lines.size() >= max || looked++ >= MAX_SCENES) {
                break;
            }
            JsonNode frame = firstFrameAtOrAfter(client, id, total, scene.path("startMs").asLong());
            if (frame == null) {
                continue;
            }
            long index = frame.path("index").asLong();
            for (JsonNode analysis : client.frameAnalyses(id, index).path("items")) {
                if (!"ocr".equals(analysis.path("analyser").asText())) {
                    continue;
                }
                for (JsonNode line : analysis.path("result").path("lines")) {
                    String text = Formats.printable(line.path("text").asText()).strip();
                    if (lines.size() < max
                            && !text.isEmpty()
                            && line.path("confidence").asDouble() >= MIN_CONFIDENCE) {
                        lines.add(new Line(index, frame.path("ptsMs").asLong(), text));
                    }
                }
            }
        }
        return lines;
    }

    /**
     * The first kept frame at or after {@code ptsMs}, or null: a binary search over the frames
     * listing (ordered by index, so by time), one frame per request, since the API has no lookup by
     * time and a long video has too many frames to list.
     */
    private static JsonNode firstFrameAtOrAfter(ApiClient client, String id, long total, long ptsMs)
            throws IOException, InterruptedException {
        long low = 0;
        long high = total;
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (frameAt(client, id, mid).path("ptsMs").asLong() < ptsMs) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low < total ? frameAt(client, id, low) : null;
    }

    private static JsonNode frameAt(ApiClient client, String id, long offset)
            throws IOException, InterruptedException {
        return client.frames(id, offset, 1).path("items").path(0);
    }
}
