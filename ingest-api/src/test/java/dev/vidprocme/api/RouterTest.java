package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Route matching: templates, parameters, 404 versus 405. */
class RouterTest {
    private static final Handler NONE =
            r -> {
                throw new AssertionError("not called");
            };

    private final Router router =
            ApiRoutes.router(
                    new Endpoints(
                            NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,
                            NONE, NONE, NONE, NONE));

    @Test
    void matchesTemplatesAndExtractsParameters() {
        Router.Match m = router.match("GET", "/v1/jobs/abc/frames/12.jpg");
        assertThat(m).isInstanceOf(Router.Found.class);
        Router.Found found = (Router.Found) m;
        assertThat(found.route().template()).isEqualTo("/v1/jobs/{id}/frames/{index}.jpg");
        assertThat(found.params()).containsEntry("id", "abc").containsEntry("index", "12");
        assertThat(found.route().access()).isEqualTo(Access.BEARER_OR_SIGNED);
    }

    @Test
    void distinguishesNeighbouringRoutes() {
        assertThat(((Router.Found) router.match("GET", "/v1/jobs/x")).route().template())
                .isEqualTo("/v1/jobs/{id}");
        assertThat(((Router.Found) router.match("GET", "/v1/jobs/x/frames")).route().template())
                .isEqualTo("/v1/jobs/{id}/frames");
        assertThat(router.match("GET", "/v1/jobs/x/frames/1.png"))
                .isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "/v1/jobs/x/y")).isInstanceOf(Router.NotFound.class);
        assertThat(router.match("GET", "/v1/jobs/")).isInstanceOf(Router.NotFound.class);
    }

    @Test
    void parametersNeverSpanSegmentsAndArePercentDecoded() {
        assertThat(router.match("GET", "/v1/jobs/a/b/frames")).isInstanceOf(Router.NotFound.class);
        Router.Found found = (Router.Found) router.match("GET", "/v1/jobs/a%2Fb");
        assertThat(found.params()).containsEntry("id", "a/b");
    }

    @Test
    void wrongMethodListsTheAllowedOnes() {
        Router.Match m = router.match("DELETE", "/v1/jobs");
        assertThat(m).isInstanceOf(Router.MethodNotAllowed.class);
        assertThat(((Router.MethodNotAllowed) m).allowed()).containsExactly("POST");
        assertThat(((Router.MethodNotAllowed) m).protectedPath()).isTrue();
        assertThat(((Router.MethodNotAllowed) router.match("POST", "/healthz")).protectedPath())
                .isFalse();
    }

    @Test
    void schedulingRoutesAreBearerOnlyAndCancelSharesTheJobPath() {
        Router.Found cancel = (Router.Found) router.match("DELETE", "/v1/jobs/x");
        assertThat(cancel.route().template()).isEqualTo("/v1/jobs/{id}");
        assertThat(cancel.route().access()).isEqualTo(Access.BEARER);
        Router.Found replay = (Router.Found) router.match("POST", "/v1/dlq/abc/replay");
        assertThat(replay.route().template()).isEqualTo("/v1/dlq/{id}/replay");
        assertThat(replay.params()).containsEntry("id", "abc");
        for (String path : new String[] {"/v1/queue", "/v1/dlq"}) {
            assertThat(((Router.Found) router.match("GET", path)).route().access())
                    .isEqualTo(Access.BEARER);
        }
        assertThat(((Router.MethodNotAllowed) router.match("GET", "/v1/dlq/abc/replay")).allowed())
                .containsExactly("POST");
    }

    @Test
    void frameAnalysesAndFrameImagesAreDifferentRoutes() {
        Router.Found analyses = (Router.Found) router.match("GET", "/v1/jobs/x/frames/12/analyses");
        assertThat(analyses.route().template()).isEqualTo("/v1/jobs/{id}/frames/{index}/analyses");
        assertThat(analyses.params()).containsEntry("id", "x").containsEntry("index", "12");
        assertThat(analyses.route().access()).isEqualTo(Access.BEARER);
        assertThat(((Router.Found) router.match("GET", "/v1/search")).route().access())
                .isEqualTo(Access.BEARER);
    }

    @Test
    void refusesDuplicateRoutes() {
        Router r = new Router().add("GET", "/a/{x}", Access.OPEN, NONE);
        assertThatThrownBy(() -> r.add("GET", "/a/{x}", Access.OPEN, NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedEscapesAreClientErrors() {
        assertThatThrownBy(() -> router.match("GET", "/v1/jobs/%zz"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
