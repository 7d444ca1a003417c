package dev.vidprocme.records;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which decoded frames a job keeps. */
public enum FrameMode {
    /** Every frame. */
    ALL,
    /** One frame per {@code 1/fps} seconds. */
    FPS,
    /** Only keyframes (intra-coded pictures the encoder chose). */
    KEYFRAMES,
    /** Representative frames of each scene, up to {@code frames.maxFrames}. */
    SCENES,
    /**
     * No frames: nothing is decoded, so there are no scenes or analyses either; for jobs that only
     * want their renditions.
     */
    NONE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts the lowercase wire names only, naming them when the value is unknown. */
    @JsonCreator
    public static FrameMode fromWire(String value) {
        for (FrameMode mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "unknown frames.mode '"
                        + value
                        + "'; use one of "
                        + Arrays.stream(values())
                                .map(FrameMode::wireName)
                                .collect(Collectors.joining(", ")));
    }
}
