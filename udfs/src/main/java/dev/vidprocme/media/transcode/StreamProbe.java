package dev.vidprocme.media.transcode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vidprocme.media.Ffmpeg;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads what an input or a written output holds with {@code ffprobe}: every stream's codec, size,
 * rate, duration and codec configuration (for RFC 6381 strings). It reads headers only; {@link
 * dev.vidprocme.media.MediaProbe}'s packet index is what counts frames to the end of a file.
 */
public final class StreamProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamProbe() {}

    /** The first video and first audio stream of {@code file} and the container's times. */
    public static MediaStreams probe(Path file) throws TranscodeException {
        String what = "probing " + file.getFileName();
        String out =
                FfmpegRun.ffprobe(
                        List.of(
                                "-protocol_whitelist",
                                Ffmpeg.PROTOCOL_WHITELIST,
                                "-show_data",
                                "-show_streams",
                                "-show_format",
                                "-of",
                                "json",
                                "file:" + file.toAbsolutePath()),
                        what);
        JsonNode root;
        try {
            root = JSON.readTree(out);
        } catch (java.io.IOException e) {
            throw new TranscodeException(what + ": ffprobe printed no JSON", e);
        }
        JsonNode format = root.path("format");
        MediaStreams.Stream video = null;
        MediaStreams.Stream audio = null;
        for (JsonNode s : root.path("streams")) {
            String type = s.path("codec_type").asText();
            if (video == null && type.equals("video") && !attachedPicture(s)) {
                video = stream(s);
            } else if (audio == null && type.equals("audio")) {
                audio = stream(s);
            }
        }
        return new MediaStreams(
                format.path("format_name").asText(""),
                seconds(format.path("start_time")),
                seconds(format.path("duration")),
                format.path("bit_rate").asLong(0),
                video,
                audio);
    }

    private static boolean attachedPicture(JsonNode s) {
        return s.path("disposition").path("attached_pic").asInt(0) == 1;
    }

    private static MediaStreams.Stream stream(JsonNode s) {
        return new MediaStreams.Stream(
                s.path("codec_name").asText(""),
                s.path("profile").asText(""),
                s.path("width").asInt(0),
                s.path("height").asInt(0),
                rate(s.path("avg_frame_rate").asText("0/0"), s.path("r_frame_rate").asText("0/0")),
                seconds(s.path("duration")),
                s.path("nb_frames").asLong(-1),
                s.path("bit_rate").asLong(0),
                hexdump(s.path("extradata").asText("")));
    }

    private static double rate(String avg, String real) {
        double r = fraction(avg);
        return r > 0 ? r : fraction(real);
    }

    private static double fraction(String text) {
        String[] parts = text.split("/");
        try {
            double num = Double.parseDouble(parts[0]);
            double den = parts.length > 1 ? Double.parseDouble(parts[1]) : 1;
            return den > 0 ? num / den : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Microseconds from ffprobe's decimal seconds; -1 when it did not say. */
    private static long seconds(JsonNode node) {
        if (node.isMissingNode() || node.asText().isEmpty() || node.asText().equals("N/A")) {
            return -1;
        }
        try {
            return Math.round(Double.parseDouble(node.asText()) * 1_000_000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Bytes from ffprobe's {@code -show_data} dump: lines of {@code "00000000: 0164 001f ...
     * ascii"}, where two spaces end the hex part.
     */
    static byte[] hexdump(String dump) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String line : dump.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon < 0) {
                continue;
            }
            String rest = line.substring(colon + 2);
            int end = rest.indexOf("  ");
            String hex = (end < 0 ? rest : rest.substring(0, end)).replace(" ", "");
            for (int i = 0; i + 1 < hex.length(); i += 2) {
                bytes.write(Integer.parseInt(hex.substring(i, i + 2), 16));
            }
        }
        return bytes.toByteArray();
    }
}
