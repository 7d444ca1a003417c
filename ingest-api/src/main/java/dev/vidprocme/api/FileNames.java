package dev.vidprocme.api;

/**
 * Turns a client-supplied upload file name into a display name. It is only ever stored as {@code
 * source_name}; keys and paths never contain it.
 */
public final class FileNames {
    public static final int MAX_LENGTH = 255;

    private FileNames() {}

    /**
     * Keeps the last path element (either separator), drops control and invisible formatting
     * characters (which could spoof how the name reads), trims, and cuts to 255 characters without
     * splitting a surrogate pair.
     *
     * @return the display name, or null when nothing meaningful is left
     */
    public static String sanitize(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(Math.min(raw.length(), 1024));
        raw.codePoints()
                .filter(
                        cp -> {
                            int type = Character.getType(cp);
                            return type != Character.CONTROL
                                    && type != Character.FORMAT
                                    && type != Character.UNASSIGNED
                                    && type != Character.SURROGATE
                                    && type != Character.LINE_SEPARATOR
                                    && type != Character.PARAGRAPH_SEPARATOR;
                        })
                .forEach(clean::appendCodePoint);
        String name = clean.toString();
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return null;
        }
        if (name.length() > MAX_LENGTH) {
            int end = MAX_LENGTH;
            if (Character.isHighSurrogate(name.charAt(end - 1))) {
                end--;
            }
            name = name.substring(0, end);
        }
        return name;
    }
}
