package dev.vidprocme.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps method + path to a handler. Templates use OpenAPI syntax ({@code
 * /v1/jobs/{id}/frames/{index}.jpg}) so the same strings appear in {@code openapi.yaml} and a test
 * can compare the two.
 */
public final class Router {
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    /** One registered route; {@code template} is the OpenAPI path. */
    public record Route(
            String method,
            String template,
            Access access,
            Handler handler,
            Pattern regex,
            List<String> params) {}

    /** The outcome of matching a request. */
    public sealed interface Match permits Found, MethodNotAllowed, NotFound {}

    /** A route matched; {@code params} are percent-decoded. */
    public record Found(Route route, Map<String, String> params) implements Match {}

    /** The path exists, but not for this method; {@code allowed} goes into the Allow header. */
    public record MethodNotAllowed(Set<String> allowed, boolean protectedPath) implements Match {}

    /** No route has this path. */
    public record NotFound() implements Match {}

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Access access, Handler handler) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("template must start with '/': " + template);
        }
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAM.matcher(template);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start())));
            // Lazy and slash-free, so a parameter never spans segments and a ".jpg" suffix stays
            // literal.
            regex.append("(?<").append(m.group(1)).append(">[^/]+?)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        for (Route r : routes) {
            if (r.method().equals(method) && r.template().equals(template)) {
                throw new IllegalArgumentException("duplicate route " + method + " " + template);
            }
        }
        routes.add(
                new Route(
                        method,
                        template,
                        access,
                        handler,
                        Pattern.compile(regex.toString()),
                        List.copyOf(names)));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(String method, String rawPath) {
        Set<String> allowed = new TreeSet<>();
        boolean protectedPath = false;
        for (Route r : routes) {
            Matcher m = r.regex().matcher(rawPath);
            if (!m.matches()) {
                continue;
            }
            if (r.method().equals(method)) {
                Map<String, String> params = new LinkedHashMap<>();
                for (String name : r.params()) {
                    params.put(name, PercentDecoder.decode(m.group(name), false));
                }
                return new Found(r, params);
            }
            allowed.add(r.method());
            protectedPath |= r.access() != Access.OPEN;
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed, protectedPath);
    }
}
