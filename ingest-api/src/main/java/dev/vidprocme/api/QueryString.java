package dev.vidprocme.api;

import java.util.HashMap;
import java.util.Map;

/** Parses a raw query string; the first occurrence of a name wins. */
final class QueryString {
    private QueryString() {}

    static Map<String, String> parse(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = PercentDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : PercentDecoder.decode(pair.substring(eq + 1), true);
            values.putIfAbsent(name, value);
        }
        return values;
    }
}
