package dev.vidprocme.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec parser checks a callback URL's syntax; whether it may be called needs DNS, later. */
class CallbackUrlSpecTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/vidproc?k=1", "http://10.0.0.1:8080/h"})
    void wellFormedHttpUrlsParse(String url) throws SpecException {
        assertThat(JobSpecParser.parse("{\"callbackUrl\":\"" + url + "\"}").callbackUrl())
                .isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://hooks.example.com/x",
                "https://user:pw@hooks.example.com/",
                "https:///nohost",
                "  ",
                "hooks.example.com/path"
            })
    void malformedCallbackUrlsNameTheField(String url) {
        SpecException e =
                catchThrowableOfType(
                        SpecException.class,
                        () -> JobSpecParser.parse("{\"callbackUrl\":\"" + url + "\"}"));

        assertThat(e.field()).isEqualTo("callbackUrl");
        assertThat(e.getMessage()).contains("callbackUrl");
    }
}
