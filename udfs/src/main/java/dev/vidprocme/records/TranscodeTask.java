package dev.vidprocme.records;

/**
 * One unit of transcoding work: a part of a rendition (the input's span [{@code startUs}, {@code
 * endUs}) encoded on its own, with a closed GOP at its start), the finishing of a rendition (its
 * parts joined without re-encoding, packaged and verified: {@code part == }{@link
 * TranscodeResult#FINAL}), or the thumbnails of a job (output {@value TranscodeResult#THUMBNAILS},
 * also {@code FINAL}). Times are relative to the video's first frame, as for {@link SegmentTask}.
 *
 * @param output the rendition's name, or {@value TranscodeResult#THUMBNAILS}
 * @param outputIndex its index in the spec's outputs ({@code outputs.size()} for thumbnails)
 * @param rendition what to encode; null for thumbnails
 * @param thumbnails poster and sprite settings; only for the thumbnails unit (may be null there)
 * @param parts how many parts the rendition has
 * @param lastPart whether the part runs to the end of the stream
 * @param originUs absolute presentation time of the first video frame
 * @param video the probed input
 */
public record TranscodeTask(
        String jobId,
        String inputUri,
        String output,
        int outputIndex,
        OutputSpec rendition,
        ThumbnailSpec thumbnails,
        int part,
        int parts,
        long startUs,
        long endUs,
        boolean lastPart,
        long originUs,
        VideoInfo video,
        int priority,
        long submittedAtMs) {

    public boolean isFinal() {
        return part == TranscodeResult.FINAL;
    }

    public boolean isThumbnails() {
        return rendition == null;
    }

    /** The finishing unit of this task's rendition. */
    public TranscodeTask finalUnit() {
        return new TranscodeTask(
                jobId,
                inputUri,
                output,
                outputIndex,
                rendition,
                thumbnails,
                TranscodeResult.FINAL,
                parts,
                0,
                video.durationMs() * 1000,
                true,
                originUs,
                video,
                priority,
                submittedAtMs);
    }

    /** The input time this unit covers. */
    public long spanUs() {
        return isFinal() ? video.durationMs() * 1000 : Math.max(0, endUs - startUs);
    }

    /** The {@link TranscodeResult#unitNumber()} of this unit, for the work ledger. */
    public int unitNumber() {
        return TranscodeResult.unitNumber(outputIndex, part);
    }
}
