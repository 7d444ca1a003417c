package dev.vidprocme.io.blob;

import java.util.Locale;
import java.util.Map;

/**
 * The media type of an object from its key's extension; the keys are ours, so a short fixed table
 * covers them and nothing is guessed from content.
 */
public final class BlobContentTypes {
    public static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION =
            Map.ofEntries(
                    Map.entry("jpg", "image/jpeg"),
                    Map.entry("jpeg", "image/jpeg"),
                    Map.entry("png", "image/png"),
                    Map.entry("webp", "image/webp"),
                    Map.entry("mp4", "video/mp4"),
                    Map.entry("m4s", "video/iso.segment"),
                    Map.entry("ts", "video/mp2t"),
                    Map.entry("webm", "video/webm"),
                    Map.entry("m3u8", "application/vnd.apple.mpegurl"),
                    Map.entry("mpd", "application/dash+xml"),
                    Map.entry("vtt", "text/vtt"),
                    Map.entry("m4a", "audio/mp4"),
                    Map.entry("mp3", "audio/mpeg"),
                    Map.entry("opus", "audio/ogg"),
                    Map.entry("ogg", "audio/ogg"),
                    Map.entry("json", "application/json"));

    private BlobContentTypes() {}

    /** The type for {@code key}'s extension, or {@value #DEFAULT}. */
    public static String forKey(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        if (dot <= slash + 1) {
            return DEFAULT;
        }
        return BY_EXTENSION.getOrDefault(key.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
