package dev.vidprocme.functions;

import dev.vidprocme.analysis.OcrSettings;
import dev.vidprocme.analysis.caption.CaptionSettings;
import java.io.Serializable;

/**
 * How the analysis operators run: worker threads per subtask for the offline analysers, the OCR
 * engine's settings, and the vision-LLM endpoints (their keys are read from the environment by
 * name, never held here).
 */
public record AnalysisSettings(int workers, OcrSettings ocr, CaptionSettings captions)
        implements Serializable {

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(1, OcrSettings.defaults(), CaptionSettings.defaults());
    }
}
