package dev.vidprocme.io.db;

import java.util.Locale;

/** What an output object is; the lower-case name is what the table and the API carry. */
public enum OutputKind {
    RENDITION,
    PLAYLIST,
    SEGMENT,
    POSTER,
    SPRITE,
    VTT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the accepted kinds
     */
    public static OutputKind fromWire(String value) {
        for (OutputKind k : values()) {
            if (k.wireName().equals(value)) {
                return k;
            }
        }
        throw new IllegalArgumentException(
                "unknown output kind '"
                        + value
                        + "': use rendition, playlist, segment, poster, sprite or vtt");
    }
}
