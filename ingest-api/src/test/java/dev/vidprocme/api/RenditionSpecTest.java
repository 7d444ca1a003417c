package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class RenditionSpecTest {
    @Test
    void badRenditionIsA422NamingTheField() {
        String json =
                "{\"input\": {\"uri\": \"file:///videos/a.mp4\"}, \"outputs\": [{\"name\":"
                        + " \"480p\", \"container\": \"webm\", \"video\": {\"codec\": \"h264\","
                        + " \"height\": 480}}]}";

        ApiException e = catchThrowableOfType(ApiException.class, () -> Specs.parse(json));

        assertThat(e.status()).isEqualTo(422);
        assertThat(e.code()).isEqualTo("invalid_spec");
        assertThat(e.field()).isEqualTo("outputs[0].video.codec");
        assertThat(e.getMessage()).contains("webm takes [av1, vp9]");
        assertThat(ErrorBody.of(e).error().field()).isEqualTo("outputs[0].video.codec");
    }

    @Test
    void goodRenditionsPass() {
        String json =
                "{\"outputs\": [{\"name\": \"480p\", \"container\": \"mp4\", \"video\":"
                        + " {\"codec\": \"h264\", \"height\": 480, \"crf\": 23}, \"audio\":"
                        + " {\"codec\": \"aac\"}}]}";

        assertThat(Specs.parse(json).outputs()).hasSize(1);
    }
}
