package dev.vidprocme.analysis.caption;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A field a caption reply gives per frame, with the instruction that asks for it. */
enum CaptionField {
    CAPTION("caption", "a one-sentence description of the image (string)", false),
    TAGS("tags", "up to 8 short lowercase keywords (array of strings)", true),
    OBJECTS("objects", "the main objects visible (array of strings)", true),
    TEXT("text", "the text visible in the image, \"\" if there is none (string)", false);

    private final String key;
    private final String instruction;
    private final boolean list;

    CaptionField(String key, String instruction, boolean list) {
        this.key = key;
        this.instruction = instruction;
        this.list = list;
    }

    String key() {
        return key;
    }

    String instruction() {
        return instruction;
    }

    boolean isList() {
        return list;
    }

    /** The fields a spec names, in the order given; null or empty means all. */
    static List<CaptionField> parse(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.of(values());
        }
        return names.stream()
                .map(
                        name ->
                                Arrays.stream(values())
                                        .filter(f -> f.key.equals(name))
                                        .findFirst()
                                        .orElseThrow(
                                                () ->
                                                        new CaptionConfigException(
                                                                "analysis.caption.fields: unknown"
                                                                        + " field '"
                                                                        + name
                                                                        + "'; known: caption,"
                                                                        + " tags, objects, text")))
                .distinct()
                .toList();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
