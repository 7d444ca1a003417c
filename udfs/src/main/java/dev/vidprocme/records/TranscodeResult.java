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

    /** How many unit numbers each output has: room for parts of the longest inputs. */
    private static final int UNITS_PER_OUTPUT = 1_000_000;

    /**
     * The unit number in the work ledger and dead letters: distinct per output and part within a
     * job, and readable (output 2's final is 2000000, its part 7 is 2000008).
     */
    public int unitNumber() {
        return unitNumber(outputIndex, part);
    }

    /** The unit number of {@code part} (or {@link #FINAL}) of output {@code outputIndex}. */
    public static int unitNumber(int outputIndex, int part) {
        return outputIndex * UNITS_PER_OUTPUT + part + 1;
    }
}
