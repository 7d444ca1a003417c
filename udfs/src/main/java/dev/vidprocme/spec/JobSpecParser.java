package dev.vidprocme.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.vidprocme.notify.CallbackRefusedException;
import dev.vidprocme.notify.CallbackUrls;
import dev.vidprocme.records.AnalysisSpec;
import dev.vidprocme.records.CaptionSpec;
import dev.vidprocme.records.FrameMode;
import dev.vidprocme.records.FrameSpec;
import dev.vidprocme.records.JobSpec;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a user's JSON job spec into a {@link JobSpec}, or says exactly which field is wrong and
 * why.
 */
public final class JobSpecParser {
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 9;
    public static final double MAX_FPS = 240;
    public static final int MIN_WIDTH = 16;
    public static final int MAX_WIDTH = 7680;
    public static final int MAX_FRAMES_PER_REQUEST = 16;
    public static final int MAX_PROMPT_CHARS = 4000;
    private static final Set<String> CAPTION_PROVIDERS = Set.of("openai", "ollama");
    private static final List<String> CAPTION_FIELDS =
            List.of("caption", "tags", "objects", "text");
    public static final int MAX_SCENE_FRAMES = 10_000;

    private JobSpecParser() {}

    /** Parses and validates; a blank or absent document is the default spec. */
    public static JobSpec parse(String json) throws SpecException {
        if (json == null || json.isBlank()) {
            return JobSpec.defaults();
        }
        JobSpec spec;
        try {
            spec = Json.mapper().readValue(json, JobSpec.class);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            String known =
                    e.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            throw new SpecException(
                    field,
                    "unknown field '" + field + "' in the job spec; known fields here: " + known);
        } catch (MismatchedInputException e) {
            String field = path(e);
            // FAIL_ON_TRAILING_TOKENS reports a second value after the object as a mismatch at the
            // root.
            boolean trailing =
                    field.isEmpty()
                            && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token");
            throw new SpecException(
                    field.isEmpty() ? "spec" : field,
                    trailing
                            ? "the job spec must be a single JSON object, but more follows it"
                            : field.isEmpty()
                                    ? "the job spec must be a JSON object"
                                    : "field '"
                                            + field
                                            + "' has the wrong type: "
                                            + e.getOriginalMessage());
        } catch (ValueInstantiationException e) {
            // A @JsonCreator (FrameMode's) refused the value: its message already names the field.
            String field = path(e);
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new SpecException(
                    field.isEmpty() ? "spec" : field,
                    cause instanceof IllegalArgumentException
                            ? cause.getMessage()
                            : "field '" + field + "' is invalid: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new SpecException(
                    "spec", "the job spec is not valid JSON: " + e.getOriginalMessage());
        }
        if (spec == null) {
            return JobSpec.defaults();
        }
        validate(spec);
        return spec;
    }

    /** Checks ranges; called by {@link #parse} and by code that builds specs itself. */
    public static void validate(JobSpec spec) throws SpecException {
        int priority = spec.priority();
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new SpecException(
                    "priority",
                    "priority must be between "
                            + MIN_PRIORITY
                            + " and "
                            + MAX_PRIORITY
                            + ", got "
                            + priority);
        }
        FrameSpec frames = spec.frames();
        if (frames.fps() != null && !(frames.fps() > 0 && frames.fps() <= MAX_FPS)) {
            throw new SpecException(
                    "frames.fps",
                    "frames.fps must be greater than 0 and at most "
                            + MAX_FPS
                            + " (omit it for every frame), got "
                            + frames.fps());
        }
        if (frames.maxWidth() != null
                && (frames.maxWidth() < MIN_WIDTH || frames.maxWidth() > MAX_WIDTH)) {
            throw new SpecException(
                    "frames.maxWidth",
                    "frames.maxWidth must be between "
                            + MIN_WIDTH
                            + " and "
                            + MAX_WIDTH
                            + ", got "
                            + frames.maxWidth());
        }
        if (frames.quality() < 1 || frames.quality() > 100) {
            throw new SpecException(
                    "frames.quality",
                    "frames.quality must be between 1 and 100, got " + frames.quality());
        }
        validateFrameMode(frames, spec);
        if (spec.input() != null && (spec.input().uri() == null || spec.input().uri().isBlank())) {
            throw new SpecException("input.uri", "input.uri is required when input is given");
        }
        validateCallbackUrl(spec);
        validateOutputs(spec);
        validateAnalysis(spec.analysis());
    }

    /**
     * The analysers' settings, and the caption section's provider, model, prompt and reply shape,
     * so a caption spec the captioner could never run is refused at submission.
     */
    private static void validateAnalysis(AnalysisSpec analysis) throws SpecException {
        double interval = analysis.intervalSeconds();
        if (!(interval >= 1 && interval <= 3600)) {
            throw new SpecException(
                    "analysis.intervalSeconds",
                    "analysis.intervalSeconds must be between 1 and 3600, got " + interval);
        }
        if (analysis.maxTokens() != null && analysis.maxTokens() < 1) {
            throw new SpecException(
                    "analysis.maxTokens",
                    "analysis.maxTokens must be at least 1, got " + analysis.maxTokens());
        }
        if (analysis.maxCostUsd() != null && !(analysis.maxCostUsd() > 0)) {
            throw new SpecException(
                    "analysis.maxCostUsd",
                    "analysis.maxCostUsd must be greater than 0, got " + analysis.maxCostUsd());
        }
        CaptionSpec caption = analysis.caption();
        if (caption == null) {
            return;
        }
        if (caption.provider() == null || !CAPTION_PROVIDERS.contains(caption.provider())) {
            throw new SpecException(
                    "analysis.caption.provider",
                    "analysis.caption.provider must be one of "
                            + CAPTION_PROVIDERS.stream().sorted().toList()
                            + ", got "
                            + caption.provider());
        }
        if (caption.model() == null || caption.model().isBlank()) {
            throw new SpecException("analysis.caption.model", "analysis.caption.model is required");
        }
        if (caption.framesPerRequest() != null
                && (caption.framesPerRequest() < 1
                        || caption.framesPerRequest() > MAX_FRAMES_PER_REQUEST)) {
            throw new SpecException(
                    "analysis.caption.framesPerRequest",
                    "analysis.caption.framesPerRequest must be between 1 and "
                            + MAX_FRAMES_PER_REQUEST
                            + ", got "
                            + caption.framesPerRequest());
        }
        if (caption.prompt() != null
                && (caption.prompt().isBlank() || caption.prompt().length() > MAX_PROMPT_CHARS)) {
            throw new SpecException(
                    "analysis.caption.prompt",
                    "analysis.caption.prompt must be 1 to "
                            + MAX_PROMPT_CHARS
                            + " characters (omit it for the default)");
        }
        if (caption.fields() != null) {
            if (caption.fields().isEmpty()) {
                throw new SpecException(
                        "analysis.caption.fields",
                        "analysis.caption.fields must name at least one of " + CAPTION_FIELDS);
            }
            for (String field : caption.fields()) {
                if (!CAPTION_FIELDS.contains(field)) {
                    throw new SpecException(
                            "analysis.caption.fields",
                            "unknown caption field '" + field + "'; use " + CAPTION_FIELDS);
                }
            }
        }
    }

    /** Renditions and thumbnails: see {@link OutputSpecRules}. */
    private static void validateOutputs(JobSpec spec) throws SpecException {
        OutputSpecRules.checkOutputs(spec.outputs());
        OutputSpecRules.checkThumbnails(spec.thumbnails());
    }

    /**
     * Syntax only: whether the host may be called needs DNS, which the ingest API checks at
     * submission and the webhook sender again before every delivery.
     */
    private static void validateCallbackUrl(JobSpec spec) throws SpecException {
        if (spec.callbackUrl() == null) {
            return;
        }
        try {
            CallbackUrls.checkSyntax(spec.callbackUrl());
        } catch (CallbackRefusedException e) {
            throw new SpecException("callbackUrl", e.getMessage());
        }
    }

    /** {@code frames.mode} against {@code frames.fps} and {@code frames.maxFrames}. */
    private static void validateFrameMode(FrameSpec frames, JobSpec spec) throws SpecException {
        FrameMode mode = frames.mode();
        if (frames.fps() != null && mode != FrameMode.FPS) {
            throw new SpecException(
                    "frames.fps",
                    "frames.fps applies only to frames.mode 'fps', but frames.mode is '"
                            + mode.wireName()
                            + "'; drop frames.fps or set frames.mode to 'fps'");
        }
        if (mode == FrameMode.NONE && spec.outputs().isEmpty()) {
            throw new SpecException(
                    "frames.mode",
                    "frames.mode 'none' extracts nothing, so the job needs at least one entry in"
                            + " outputs");
        }
        if (frames.fps() == null && mode == FrameMode.FPS) {
            throw new SpecException(
                    "frames.fps", "frames.mode 'fps' needs frames.fps (frames per second to keep)");
        }
        if (frames.maxFrames() != null) {
            if (mode != FrameMode.SCENES) {
                throw new SpecException(
                        "frames.maxFrames",
                        "frames.maxFrames applies only to frames.mode 'scenes', but frames.mode is"
                                + " '"
                                + mode.wireName()
                                + "'");
            }
            if (frames.maxFrames() < 1 || frames.maxFrames() > MAX_SCENE_FRAMES) {
                throw new SpecException(
                        "frames.maxFrames",
                        "frames.maxFrames must be between 1 and "
                                + MAX_SCENE_FRAMES
                                + ", got "
                                + frames.maxFrames());
            }
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
