package dev.vidprocme.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.spec.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The searchable body of an analysis result: every piece of text in its JSON (OCR lines, caption,
 * tags, object names, visible text), one per line, without numbers, boxes or bookkeeping. Lets the
 * storage stage derive {@code frame_analyses.body} from any analyser's output without knowing its
 * shape.
 */
public final class SearchableText {
    // Keys whose string values describe how a result was made, not what the frame shows.
    private static final Set<String> SKIPPED_KEYS =
            Set.of(
                    "model",
                    "prompt",
                    "usage",
                    "tokenusage",
                    "token_usage",
                    "finishreason",
                    "finish_reason",
                    "id",
                    "hash",
                    "contenthash",
                    "url",
                    "language",
                    "error");

    private SearchableText() {}

    /**
     * The text in {@code resultJson}, in document order, one value per line; "" when there is none.
     *
     * @throws IllegalArgumentException when {@code resultJson} is not JSON
     */
    public static String of(String resultJson) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(resultJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "analysis result is not JSON: " + e.getOriginalMessage(), e);
        }
        StringBuilder out = new StringBuilder();
        collect(root, out);
        return out.toString();
    }

    private static void collect(JsonNode node, StringBuilder out) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            String text = clean(node.textValue());
            if (!text.isEmpty()) {
                if (out.length() > 0) {
                    out.append('\n');
                }
                out.append(text);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collect(item, out);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!SKIPPED_KEYS.contains(field.getKey().toLowerCase(Locale.ROOT))) {
                    collect(field.getValue(), out);
                }
            }
        }
    }

    // Control characters never carry meaning in OCR or captions, and search uses two of them
    // (STX/ETX) to mark highlights before HTML escaping.
    private static String clean(String text) {
        return withoutControlCharacters(text).strip();
    }

    /** {@code text} without control characters other than newline and tab. */
    public static String withoutControlCharacters(String text) {
        return text == null ? "" : text.replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", " ");
    }
}
