package dev.vidprocme.media.transcode;

import dev.vidprocme.media.Ffmpeg;
import dev.vidprocme.records.AudioOutputSpec;
import dev.vidprocme.records.OutputSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * What a rendition may ask for: containers, codecs, their FFmpeg encoders and quality ranges, and
 * which combinations the muxers write and players play. Validation and encoding share these tables
 * so a spec that passes submission is one the encoder can run.
 */
public final class Codecs {
    public static final List<String> CONTAINERS = List.of("mp4", "webm", "hls");
    public static final List<String> VIDEO_CODECS = List.of("h264", "hevc", "vp9", "av1");
    public static final List<String> AUDIO_CODECS = List.of("copy", "aac", "opus", "none");

    /**
     * libx264/libx265 preset. {@code veryfast} costs roughly 10-15% more bits than {@code medium}
     * at the same CRF but encodes about 3x faster; on shared CPU slots throughput decides how long
     * every other job waits, and renditions are re-encodable from the source if quality matters.
     */
    public static final String X26X_PRESET = "veryfast";

    /** SVT-AV1 preset 10: the fast end of its 0..13 range, for the same reason as above. */
    public static final String SVT_AV1_PRESET = "10";

    private static final Map<String, Set<String>> VIDEO_BY_CONTAINER =
            Map.of(
                    // The mp4 muxer writes all four, and browsers play all four from mp4.
                    "mp4", Set.of("h264", "hevc", "vp9", "av1"),
                    // WebM is defined for VP8/VP9/AV1 only.
                    "webm", Set.of("vp9", "av1"),
                    // HLS players (Apple's spec, hls.js) take AVC and HEVC in fMP4 segments.
                    "hls", Set.of("h264", "hevc"));

    private static final Map<String, Set<String>> AUDIO_BY_CONTAINER =
            Map.of(
                    "mp4", Set.of("copy", "aac", "opus", "none"),
                    // WebM takes only Vorbis/Opus; copy cannot promise either.
                    "webm", Set.of("opus", "none"),
                    // Opus in HLS is not played by Safari; copy passes the source's AAC through.
                    "hls", Set.of("copy", "aac", "none"));

    private static final Map<String, String> ENCODERS =
            Map.of(
                    "h264", "libx264",
                    "hevc", "libx265",
                    "vp9", "libvpx-vp9",
                    "av1", "libsvtav1",
                    "aac", "aac",
                    "opus", "libopus");

    private static final Map<String, Integer> MAX_CRF =
            Map.of("h264", 51, "hevc", 51, "vp9", 63, "av1", 63);

    private static final Map<String, Integer> DEFAULT_CRF =
            Map.of("h264", 23, "hevc", 28, "vp9", 33, "av1", 35);

    private static final Map<String, Boolean> PRESENT = new ConcurrentHashMap<>();

    private Codecs() {}

    public static Set<String> videoCodecs(String container) {
        return VIDEO_BY_CONTAINER.getOrDefault(container, Set.of());
    }

    public static Set<String> audioCodecs(String container) {
        return AUDIO_BY_CONTAINER.getOrDefault(container, Set.of());
    }

    /** The FFmpeg encoder behind a codec name ({@code h264} is {@code libx264}). */
    public static String encoder(String codec) {
        String encoder = ENCODERS.get(codec);
        if (encoder == null) {
            throw new IllegalArgumentException("no encoder for codec '" + codec + "'");
        }
        return encoder;
    }

    public static int maxCrf(String codec) {
        return MAX_CRF.getOrDefault(codec, 51);
    }

    public static int defaultCrf(String codec) {
        return DEFAULT_CRF.getOrDefault(codec, 23);
    }

    /** Whether the FFmpeg build on this machine has {@code codec}'s encoder. */
    public static boolean hasEncoder(String codec) {
        String encoder = ENCODERS.get(codec);
        if (encoder == null) {
            return false;
        }
        return PRESENT.computeIfAbsent(
                encoder,
                name -> {
                    Ffmpeg.init();
                    org.bytedeco.ffmpeg.avcodec.AVCodec c =
                            avcodec.avcodec_find_encoder_by_name(name);
                    return c != null && !c.isNull();
                });
    }

    /**
     * The audio codec a rendition gets: the spec's, or the container's default when absent ({@code
     * opus} for webm, {@code aac} otherwise).
     */
    public static String audioCodec(OutputSpec spec) {
        AudioOutputSpec audio = spec.audio();
        if (audio != null && audio.codec() != null) {
            return audio.codec();
        }
        return "webm".equals(spec.container()) ? "opus" : "aac";
    }

    /** File name extension of a rendition's main output ({@code hls} is packaged from an mp4). */
    public static String extension(String container) {
        return "webm".equals(container) ? "webm" : "mp4";
    }
}
