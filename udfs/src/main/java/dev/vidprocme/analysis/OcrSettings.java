package dev.vidprocme.analysis;

/**
 * How the OCR engine runs; {@link #defaults()} follows PaddleOCR's PP-OCRv4 inference defaults
 * except the thread count, which is kept low because Flink's parallelism gives the concurrency.
 *
 * @param intraOpThreads ONNX Runtime threads per model call (1..64)
 * @param maxSideLen the detector sees the frame scaled down so its longer side is at most this
 *     (32..4096; 960 reads text down to about 12 px high in a 720p frame)
 * @param binaryThreshold probability above which a detector pixel counts as text (0..1)
 * @param boxThreshold mean probability a detected region needs to be kept (0..1)
 * @param unclipRatio how far a detected region is grown to cover the whole glyphs (1..4)
 * @param minConfidence lines read with a lower mean character probability are dropped (0..1)
 * @param maxLines the most lines recognised in one frame (1..1000); the largest-scoring are kept
 * @param recBatchSize lines recognised in one model call (1..64)
 */
public record OcrSettings(
        int intraOpThreads,
        int maxSideLen,
        double binaryThreshold,
        double boxThreshold,
        double unclipRatio,
        double minConfidence,
        int maxLines,
        int recBatchSize)
        implements java.io.Serializable {
    public OcrSettings {
        check("intraOpThreads", intraOpThreads, 1, 64);
        check("maxSideLen", maxSideLen, 32, 4096);
        check("binaryThreshold", binaryThreshold, 0, 1);
        check("boxThreshold", boxThreshold, 0, 1);
        check("unclipRatio", unclipRatio, 1, 4);
        check("minConfidence", minConfidence, 0, 1);
        check("maxLines", maxLines, 1, 1000);
        check("recBatchSize", recBatchSize, 1, 64);
    }

    public static OcrSettings defaults() {
        return new OcrSettings(1, 960, 0.3, 0.6, 1.6, 0.5, 100, 8);
    }

    /** The same settings with {@code threads} ONNX Runtime threads per call. */
    public OcrSettings withIntraOpThreads(int threads) {
        return new OcrSettings(
                threads,
                maxSideLen,
                binaryThreshold,
                boxThreshold,
                unclipRatio,
                minConfidence,
                maxLines,
                recBatchSize);
    }

    /** The same settings with the detector's longer side capped at {@code side} pixels. */
    public OcrSettings withMaxSideLen(int side) {
        return new OcrSettings(
                intraOpThreads,
                side,
                binaryThreshold,
                boxThreshold,
                unclipRatio,
                minConfidence,
                maxLines,
                recBatchSize);
    }

    private static void check(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    "OCR setting "
                            + name
                            + " = "
                            + value
                            + " is out of range; accepted: "
                            + min
                            + " .. "
                            + max);
        }
    }
}
