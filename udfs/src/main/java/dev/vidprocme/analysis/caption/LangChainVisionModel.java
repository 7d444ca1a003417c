package dev.vidprocme.analysis.caption;

import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A {@link VisionModel} on a langchain4j chat model: OpenAI-compatible (OpenAI, vLLM, llama.cpp
 * server) or Ollama. langchain4j's retries are off (the captioner owns retrying) and its HTTP goes
 * through {@link EndpointHttpClient}, which keeps {@code Retry-After}.
 */
final class LangChainVisionModel implements VisionModel {
    private final ChatModel chat;

    private LangChainVisionModel(ChatModel chat) {
        this.chat = chat;
    }

    /**
     * @param apiKey null for endpoints without one (a local vLLM, llama.cpp or Ollama)
     * @param http shared by every model of the endpoint, so they share its connections
     */
    static LangChainVisionModel create(
            String provider,
            String model,
            EndpointSettings endpoint,
            String apiKey,
            java.net.http.HttpClient http) {
        EndpointHttpClient.Builder httpBuilder = new EndpointHttpClient.Builder(http);
        ChatModel chat;
        switch (provider) {
            case CaptionSettings.OPENAI:
                chat =
                        OpenAiChatModel.builder()
                                .baseUrl(endpoint.baseUrl())
                                .apiKey(apiKey)
                                .modelName(model)
                                .timeout(endpoint.timeout())
                                .maxRetries(0)
                                .httpClientBuilder(httpBuilder)
                                .build();
                break;
            case CaptionSettings.OLLAMA:
                chat =
                        OllamaChatModel.builder()
                                .baseUrl(endpoint.baseUrl())
                                .modelName(model)
                                .timeout(endpoint.timeout())
                                .maxRetries(0)
                                .customHeaders(
                                        apiKey == null
                                                ? Map.of()
                                                : Map.of("Authorization", "Bearer " + apiKey))
                                .httpClientBuilder(httpBuilder)
                                .build();
                break;
            default:
                throw new CaptionConfigException(
                        "analysis.caption.provider: unknown provider '"
                                + provider
                                + "'; known: "
                                + CaptionSettings.OPENAI
                                + ", "
                                + CaptionSettings.OLLAMA);
        }
        return new LangChainVisionModel(chat);
    }

    @Override
    public ModelReply ask(String prompt, List<byte[]> jpegs) {
        List<Content> contents = new ArrayList<>(jpegs.size() + 1);
        contents.add(TextContent.from(prompt));
        for (byte[] jpeg : jpegs) {
            contents.add(ImageContent.from(Base64.getEncoder().encodeToString(jpeg), "image/jpeg"));
        }
        ChatResponse response =
                chat.chat(ChatRequest.builder().messages(UserMessage.from(contents)).build());
        TokenUsage usage = response.tokenUsage();
        return new ModelReply(
                response.aiMessage() == null ? null : response.aiMessage().text(),
                usage == null || usage.inputTokenCount() == null
                        ? null
                        : usage.inputTokenCount().longValue(),
                usage == null || usage.outputTokenCount() == null
                        ? null
                        : usage.outputTokenCount().longValue());
    }
}
