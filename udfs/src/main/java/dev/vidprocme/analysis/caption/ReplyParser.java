package dev.vidprocme.analysis.caption;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Checks a model's reply against the shape the prompt asked for: a JSON array with one object per
 * image, each with the requested fields of the right types. Errors are written to be sent back to
 * the model, so they say exactly what to fix.
 */
final class ReplyParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplyParser() {}

    /** One image's answer; fields that were not asked for are null. */
    record Parsed(String caption, List<String> tags, List<String> objects, String text) {}

    static List<Parsed> parse(String content, int images, List<CaptionField> fields)
            throws MalformedReplyException {
        if (content == null || content.isBlank()) {
            throw new MalformedReplyException("the reply was empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(stripFences(content));
        } catch (JsonProcessingException e) {
            throw new MalformedReplyException(
                    "the reply is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode array = unwrap(root);
        if (array == null || !array.isArray()) {
            throw new MalformedReplyException("the reply must be a JSON array, got " + kind(root));
        }
        if (array.size() != images) {
            throw new MalformedReplyException(
                    "the array must have exactly "
                            + images
                            + " objects, one per image, but has "
                            + array.size());
        }
        List<Parsed> parsed = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            JsonNode item = array.get(i);
            if (!item.isObject()) {
                throw new MalformedReplyException(
                        "item " + i + " must be a JSON object, got " + kind(item));
            }
            String caption = null;
            String text = null;
            List<String> tags = null;
            List<String> objects = null;
            for (CaptionField field : fields) {
                JsonNode value = item.get(field.key());
                if (field.isList()) {
                    List<String> list = strings(value, i, field);
                    if (field == CaptionField.TAGS) {
                        tags = list;
                    } else {
                        objects = list;
                    }
                } else {
                    if (value == null || !value.isTextual()) {
                        throw new MalformedReplyException(
                                "item "
                                        + i
                                        + ": field \""
                                        + field.key()
                                        + "\" must be a string, got "
                                        + kind(value));
                    }
                    if (field == CaptionField.CAPTION) {
                        caption = value.asText();
                    } else {
                        text = value.asText();
                    }
                }
            }
            parsed.add(new Parsed(caption, tags, objects, text));
        }
        return parsed;
    }

    private static List<String> strings(JsonNode value, int item, CaptionField field)
            throws MalformedReplyException {
        if (value == null || !value.isArray()) {
            throw new MalformedReplyException(
                    "item "
                            + item
                            + ": field \""
                            + field.key()
                            + "\" must be an array of strings, got "
                            + kind(value));
        }
        List<String> list = new ArrayList<>(value.size());
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new MalformedReplyException(
                        "item "
                                + item
                                + ": field \""
                                + field.key()
                                + "\" must hold only strings, got "
                                + kind(element));
            }
            list.add(element.asText());
        }
        return List.copyOf(list);
    }

    /** Models often wrap JSON in a Markdown code fence despite being told not to. */
    private static String stripFences(String content) {
        String s = content.strip();
        if (s.startsWith("```")) {
            int firstNewline = s.indexOf('\n');
            int lastFence = s.lastIndexOf("```");
            if (firstNewline > 0 && lastFence > firstNewline) {
                return s.substring(firstNewline + 1, lastFence).strip();
            }
        }
        return s;
    }

    /**
     * JSON modes that insist on an object make models answer {@code {"frames": [...]}}: accept an
     * object whose only value is the array.
     */
    private static JsonNode unwrap(JsonNode root) {
        if (root.isObject() && root.size() == 1) {
            Iterator<JsonNode> values = root.elements();
            JsonNode only = values.next();
            return only.isArray() ? only : root;
        }
        return root;
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing (the field is missing)";
        }
        return node.getNodeType().name().toLowerCase() + " " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
