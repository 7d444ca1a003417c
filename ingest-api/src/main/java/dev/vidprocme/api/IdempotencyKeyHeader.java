package dev.vidprocme.api;

import java.util.List;

/**
 * Validates the {@code Idempotency-Key} request header before any of the body is read, so a bad key
 * costs the client no upload.
 */
final class IdempotencyKeyHeader {
    static final String NAME = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {}

    /**
     * @param values every value the request carried for the header
     * @return the key, or null when the header is absent
     * @throws ApiException 400 naming the header when it is repeated, empty, too long or not
     *     printable ASCII
     */
    static String parse(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw invalid("send one " + NAME + " header, not " + values.size());
        }
        String key = values.get(0);
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            throw invalid(
                    NAME
                            + " must be 1 to "
                            + MAX_LENGTH
                            + " characters, got "
                            + (key == null ? 0 : key.length()));
        }
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                throw invalid(
                        NAME
                                + " must be printable ASCII (space to '~'); character "
                                + (i + 1)
                                + " is U+"
                                + String.format("%04X", (int) ch));
            }
        }
        return key;
    }

    private static ApiException invalid(String message) {
        return ApiException.invalidParameter(NAME, message);
    }
}
