package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** openapi.yaml and the router must describe the same API; this fails whichever side drifts. */
class OpenApiContractTest {
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Handler NONE =
            r -> {
                throw new AssertionError("not called");
            };

    private final Router router =
            ApiRoutes.router(
                    new Endpoints(
                            NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,
                            NONE, NONE, NONE, NONE));
    private final Map<String, Object> doc = load();

    @Test
    void isOpenApi31() {
        assertThat(String.valueOf(doc.get("openapi"))).startsWith("3.1.");
        assertThat(map(map(doc.get("components")).get("securitySchemes")))
                .containsKey("bearerAuth");
        assertThat(map(map(map(doc.get("components")).get("securitySchemes")).get("bearerAuth")))
                .containsEntry("type", "http")
                .containsEntry("scheme", "bearer");
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
        Set<String> routed = new TreeSet<>();
        for (Router.Route r : router.routes()) {
            routed.add(r.method() + " " + r.template());
        }
        Set<String> documented = new TreeSet<>();
        map(doc.get("paths"))
                .forEach(
                        (path, item) ->
                                map(item).keySet().stream()
                                        .filter(METHODS::contains)
                                        .forEach(
                                                m ->
                                                        documented.add(
                                                                m.toUpperCase(Locale.ROOT)
                                                                        + " "
                                                                        + path)));
        assertThat(documented).isEqualTo(routed);
    }

    @Test
    void securityMatchesEachRoutesAccess() {
        Object global = doc.get("security");
        assertThat(global).isEqualTo(List.of(Map.of("bearerAuth", List.of())));
        for (Router.Route r : router.routes()) {
            Map<String, Object> op = operation(r);
            Object security = op.containsKey("security") ? op.get("security") : global;
            switch (r.access()) {
                case OPEN -> assertThat(security).as(r.template()).isEqualTo(List.of());
                case BEARER -> assertThat(security).as(r.template()).isEqualTo(global);
                case BEARER_OR_SIGNED ->
                        assertThat(security)
                                .as(r.template())
                                .isEqualTo(
                                        List.of(
                                                Map.of("bearerAuth", List.of()),
                                                Map.of("frameSignature", List.of())));
            }
            if (r.access() != Access.OPEN) {
                assertThat(map(op.get("responses"))).as(r.template()).containsKey("401");
            }
        }
    }

    @Test
    void everyPathParameterIsDeclared() {
        Pattern param = Pattern.compile("\\{([^}]+)}");
        Map<String, Object> sharedParams = map(map(doc.get("components")).get("parameters"));
        for (Router.Route r : router.routes()) {
            Set<String> declared = new TreeSet<>();
            Object params = operation(r).get("parameters");
            if (params != null) {
                for (Object p : (List<?>) params) {
                    Map<String, Object> resolved = map(p);
                    if (resolved.containsKey("$ref")) {
                        String ref = (String) resolved.get("$ref");
                        resolved = map(sharedParams.get(ref.substring(ref.lastIndexOf('/') + 1)));
                    }
                    if ("path".equals(resolved.get("in"))) {
                        declared.add((String) resolved.get("name"));
                    }
                }
            }
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = param.matcher(r.template());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            assertThat(declared).as(r.template()).isEqualTo(inTemplate);
            assertThat(inTemplate).as(r.template()).containsExactlyInAnyOrderElementsOf(r.params());
        }
    }

    @Test
    void servedDocumentIsTheResource() {
        assertThat(new OpenApiHandler().handle(null).status()).isEqualTo(200);
    }

    private Map<String, Object> operation(Router.Route r) {
        return map(
                map(map(doc.get("paths")).get(r.template()))
                        .get(r.method().toLowerCase(Locale.ROOT)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> load() {
        return new Yaml().load(new ByteArrayInputStream(OpenApiHandler.load()));
    }
}
