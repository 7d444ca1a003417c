package dev.vidprocme.api;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Job ids are random UUIDs in their canonical lower-case form. */
public final class JobIds {
    // Strict 8-4-4-4-12: UUID.fromString accepts shorter groups, which would alias ids.
    private static final Pattern UUID_TEXT =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private JobIds() {}

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The canonical form of a job id from a URL, or 400 naming the parameter. */
    public static String parse(String raw) {
        return parse(raw, "id", "job id");
    }

    /**
     * The canonical form of a UUID-shaped id (jobs, dead letters) from parameter {@code name}, or
     * 400 naming the parameter and saying what {@code what} must look like.
     */
    public static String parse(String raw, String name, String what) {
        if (raw == null || !UUID_TEXT.matcher(raw).matches()) {
            throw ApiException.invalidParameter(
                    name, what + " must be a UUID, e.g. 123e4567-e89b-12d3-a456-426614174000");
        }
        return raw.toLowerCase(Locale.ROOT);
    }
}
