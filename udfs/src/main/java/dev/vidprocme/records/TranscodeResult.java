package dev.vidprocme.records;

/**
 * What one transcoding unit produced: a part of a rendition (one input segment encoded), or the
 * rendition itself once its parts are joined and verified ({@code part == FINAL}); the poster and
 * sprite sheet are one more output, named {@value #THUMBNAILS}.
 *
 * @param output the rendition's name, or {@value #THUMBNAILS}
 * @param outputIndex its index in the spec's outputs ({@code outputs.size()} for thumbnails)
 * @param part the part's index, or {@link #FINAL} for the finished output
 * @param parts how many parts the output has
 * @param encodedUs input time the part covered (for progress); for the final, the whole input
 * @param totalUs the input's duration
 * @param bytes bytes the unit wrote to the blob store
 */
public record TranscodeResult(
        String jobId,
        String output,
        int outputIndex,
        int part,
        int parts,
        long encodedUs,
        long totalUs,
        long bytes,
        Disposition disposition,
        int attempts,
        FailureCode failureCode,
        String message,
        String errorClass)
        implements HasDisposition {
    public static final int FINAL = -1;
    public static final String THUMBNAILS = "thumbnails";

    public boolean isFinal() {
        return part == FINAL;
    }

    /**
     * The dead-letter unit number: distinct per output and part within a job, and readable (output
     * 2's final is 2000, its part 7 is 2008).
     */
    public int unitNumber() {
        return outputIndex * 1000 + part + 1;
    }
}
