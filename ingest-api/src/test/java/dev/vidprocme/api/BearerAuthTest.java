package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bearer check accepts exactly the configured token. */
class BearerAuthTest {
    private final BearerAuth auth = new BearerAuth("s3cret-token-0123456789");

    @Test
    void acceptsTheTokenWithAnyCaseOfTheScheme() {
        assertThat(auth.accepts("Bearer s3cret-token-0123456789")).isTrue();
        assertThat(auth.accepts("bearer s3cret-token-0123456789")).isTrue();
        assertThat(auth.accepts("BEARER   s3cret-token-0123456789 ")).isTrue();
    }

    @Test
    void refusesEverythingElse() {
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.accepts("")).isFalse();
        assertThat(auth.accepts("Bearer ")).isFalse();
        assertThat(auth.accepts("Bearer s3cret-token-012345678")).isFalse();
        assertThat(auth.accepts("Bearer s3cret-token-01234567890")).isFalse();
        assertThat(auth.accepts("Basic s3cret-token-0123456789")).isFalse();
        assertThat(auth.accepts("s3cret-token-0123456789")).isFalse();
    }
}
