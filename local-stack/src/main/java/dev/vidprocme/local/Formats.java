package dev.vidprocme.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** How the CLI writes times, sizes, scene timelines and search snippets for a terminal. */
final class Formats {
    /** Marks a search match in a terminal: bold yellow, then back to normal. */
    static final String ANSI_MARK = "\u001b[1;33m";

    static final String ANSI_RESET = "\u001b[0m";

    private Formats() {}

    /** {@code m:ss.mmm}, or {@code h:mm:ss.mmm} from an hour on. */
    static String time(long ms) {
        long total = Math.max(0, ms);
        long hours = total / 3_600_000;
        long minutes = total / 60_000 % 60;
        long seconds = total / 1000 % 60;
        long millis = total % 1000;
        return hours > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d.%03d", hours, minutes, seconds, millis)
                : String.format(Locale.ROOT, "%d:%02d.%03d", minutes, seconds, millis);
    }

    /** Bytes in B, KiB, MiB or GiB, one decimal from KiB on. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** The character a transition of this kind draws on a timeline. */
    static char mark(String kind) {
        return switch (kind) {
            case "cut" -> '|';
            case "fade" -> '/';
            case "dissolve" -> '~';
            default -> '+';
        };
    }

    /**
     * The scenes as a bar of {@code width} cells spanning the video, with each transition drawn
     * where its scene starts ({@link #mark}); {@code *} where several fall into one cell.
     *
     * @param scenes the items of {@code GET /v1/jobs/{id}/scenes}, in order
     */
    static String timeline(JsonNode scenes, int width) {
        long end = 0;
        for (JsonNode scene : scenes) {
            end = Math.max(end, scene.path("endMs").asLong());
        }
        char[] cells = "-".repeat(width).toCharArray();
        for (JsonNode scene : scenes) {
            if (scene.path("index").asInt() == 0 || end <= 0) {
                continue; // the first scene starts the bar, there is no transition to draw
            }
            long start = scene.path("startMs").asLong();
            int cell = (int) Math.min(width - 1, Math.max(0, start * width / end));
            cells[cell] = cells[cell] == '-' ? mark(scene.path("kind").asText()) : '*';
        }
        return "[" + new String(cells) + "]";
    }

    /**
     * A search snippet for a terminal. The API sends it HTML-escaped with matches in {@code
     * <mark>}: matches become bold yellow ({@code ansi}) or {@code [brackets]}, entities become
     * characters, and control characters (text read from a video is anyone's) are dropped so no
     * snippet can send escape sequences to the terminal.
     */
    static String snippet(String html, boolean ansi) {
        StringBuilder out = new StringBuilder(html.length());
        int at = 0;
        while (at < html.length()) {
            int open = html.indexOf("<mark>", at);
            if (open < 0) {
                out.append(plain(html.substring(at)));
                break;
            }
            int close = html.indexOf("</mark>", open);
            if (close < 0) {
                out.append(plain(html.substring(at)));
                break;
            }
            out.append(plain(html.substring(at, open)))
                    .append(ansi ? ANSI_MARK : "[")
                    .append(plain(html.substring(open + "<mark>".length(), close)))
                    .append(ansi ? ANSI_RESET : "]");
            at = close + "</mark>".length();
        }
        return out.toString();
    }

    /** HTML entities of the API's escaping turned back into characters, control characters out. */
    private static String plain(String escaped) {
        return printable(
                escaped.replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&quot;", "\"")
                        .replace("&#39;", "'")
                        .replace("&amp;", "&"));
    }

    /**
     * {@code text} on one line without control characters: what the CLI prints of text that came
     * from a video or a user (OCR lines, snippets, names), so none can move the cursor or recolour
     * the terminal.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints()
                .map(c -> Character.isWhitespace(c) ? ' ' : c)
                .filter(c -> !Character.isISOControl(c))
                .forEach(out::appendCodePoint);
        return out.toString();
    }
}
