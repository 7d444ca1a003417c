package dev.vidprocme.api;

/** Reads numeric query parameters with range checks; errors name the parameter. */
final class QueryParams {
    private QueryParams() {}

    static long longParam(Request request, String name, long defaultValue, long min, long max) {
        String raw = request.query(name);
        if (raw == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(
                    name, name + " must be an integer between " + min + " and " + max);
        }
        if (value < min || value > max) {
            throw ApiException.invalidParameter(
                    name, name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** A non-negative integer path parameter such as a frame index. */
    static long index(String raw, String name) {
        try {
            long value = Long.parseLong(raw);
            if (value >= 0 && raw.chars().allMatch(Character::isDigit)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ApiException.invalidParameter(name, name + " must be a non-negative integer");
    }
}
