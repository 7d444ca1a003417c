package dev.vidprocme.analysis.caption;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The instruction sent with a batch of frames: the spec's prompt (or the default) plus the JSON
 * shape the reply must take. Its hash, over the prompt and the fields but not the batch size, is
 * part of the cache key.
 */
final class CaptionPrompt {
    static final String DEFAULT_PROMPT =
            "Describe each image, a frame from a video, for a video search index.";

    private final String userPrompt;
    private final List<CaptionField> fields;
    private final String hash;

    CaptionPrompt(String userPrompt, List<CaptionField> fields) {
        this.userPrompt =
                userPrompt == null || userPrompt.isBlank() ? DEFAULT_PROMPT : userPrompt.strip();
        this.fields = List.copyOf(fields);
        this.hash =
                Hashes.sha256(
                        this.userPrompt
                                + "\n"
                                + fields.stream()
                                        .map(CaptionField::key)
                                        .collect(Collectors.joining(",")));
    }

    List<CaptionField> fields() {
        return fields;
    }

    String hash() {
        return hash;
    }

    /** The text for a request carrying {@code images} images. */
    String forImages(int images) {
        StringBuilder text = new StringBuilder(userPrompt);
        text.append("\n\nYou are given ")
                .append(images)
                .append(images == 1 ? " image" : " images, in order")
                .append(". Reply with only a JSON array of ")
                .append(images)
                .append(images == 1 ? " object" : " objects, one per image in the same order")
                .append(", each with exactly these fields:");
        for (CaptionField field : fields) {
            text.append("\n\"").append(field.key()).append("\": ").append(field.instruction());
        }
        return text.toString();
    }

    /** The text for asking again after a reply that failed validation with {@code error}. */
    String correcting(int images, String error) {
        return forImages(images)
                + "\n\nYour previous reply was not valid: "
                + error
                + ". Reply again with only the JSON array.";
    }

    /** A rough count of the prompt's text tokens (about four characters each) for estimates. */
    int estimatedTextTokens(int images) {
        return forImages(images).length() / 4 + 1;
    }
}
