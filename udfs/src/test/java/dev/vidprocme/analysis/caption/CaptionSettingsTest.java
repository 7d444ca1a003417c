package dev.vidprocme.analysis.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptionSettingsTest {
    @Test
    void defaultsPointAtOpenAiAndALocalOllamaWithKeysNamedNotHeld() {
        CaptionSettings settings = CaptionSettings.defaults();

        assertThat(settings.endpoint("openai").baseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(settings.endpoint("openai").apiKeyEnv()).isEqualTo("VIDPROC_OPENAI_API_KEY");
        assertThat(settings.endpoint("openai").rateLimit().window())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.endpoint("ollama").baseUrl()).isEqualTo("http://localhost:11434");
        assertThat(settings.prices()).isEmpty();
        assertThat(settings.toString()).doesNotContain("sk-");
    }

    @Test
    void theEnvironmentOverridesBaseUrls() {
        CaptionSettings settings =
                CaptionSettings.fromEnvironment(
                        Map.of(
                                "VIDPROC_OPENAI_BASE_URL", "http://vllm:8000/v1",
                                "VIDPROC_OLLAMA_BASE_URL", "http://gpu-box:11434"));

        assertThat(settings.endpoint("openai").baseUrl()).isEqualTo("http://vllm:8000/v1");
        assertThat(settings.endpoint("ollama").baseUrl()).isEqualTo("http://gpu-box:11434");
    }

    @Test
    void anUnknownProviderNamesTheConfiguredOnes() {
        assertThatThrownBy(() -> CaptionSettings.defaults().endpoint("anthropic"))
                .isInstanceOf(CaptionConfigException.class)
                .hasMessageContaining("'anthropic'")
                .hasMessageContaining("[ollama, openai]");
    }

    @Test
    void parsesAPriceTableAndRejectsABadEntryWithAnExample() {
        assertThat(CaptionSettings.parsePrices("gpt-4o-mini=0.15/0.60, llava = 0/0"))
                .containsEntry("gpt-4o-mini", new ModelPrice(0.15, 0.60))
                .containsEntry("llava", new ModelPrice(0, 0));
        assertThatThrownBy(() -> CaptionSettings.parsePrices("gpt-4o=2.5"))
                .isInstanceOf(CaptionConfigException.class)
                .hasMessageContaining("'gpt-4o=2.5'")
                .hasMessageContaining("model=INPUT/OUTPUT");
    }

    @Test
    void badLimitsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> RateLimit.perMinute(0, 10))
                .hasMessageContaining("at least 1, got 0");
        assertThatThrownBy(
                        () -> CaptionSettings.defaults().endpoint("openai").withBaseUrl("ftp://x"))
                .hasMessageContaining("ftp://x");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(EndpointHttpClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(EndpointHttpClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
                .isEqualTo(Duration.ZERO); // in the past
        assertThat(EndpointHttpClient.retryAfter("soon")).isNull();
        assertThat(EndpointHttpClient.retryAfter(null)).isNull();
    }
}
