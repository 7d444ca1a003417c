package dev.vidprocme.records;

import java.util.List;

/**
 * Vision-LLM captions for a job's analysis frames. The endpoint's address and key come from the
 * pipeline's configuration and environment, never from here.
 *
 * @param provider {@code openai} (any OpenAI-compatible endpoint) or {@code ollama}
 * @param model the model name the endpoint knows
 * @param prompt the instruction sent with the frames; null for the default
 * @param framesPerRequest how many frames one request carries; null for the default
 * @param fields which fields the reply must give per frame, from {@code caption, tags, objects,
 *     text}; null for all
 */
public record CaptionSpec(
        String provider,
        String model,
        String prompt,
        Integer framesPerRequest,
        List<String> fields) {}
