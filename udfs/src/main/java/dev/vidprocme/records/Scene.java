package dev.vidprocme.records;

/**
 * One scene of a job's video, as stored and served by {@code GET /v1/jobs/{id}/scenes}.
 *
 * @param index 0-based position of the scene in the video
 * @param startMs when the scene starts, relative to the first frame
 * @param endMs when the next scene starts, or the end of the video for the last one
 * @param kind the transition that starts the scene: {@value #CUT}, {@value #FADE} or {@value
 *     #DISSOLVE}; the first scene has no transition before it and says {@value #START}
 * @param score how strong the change into the scene is, 0..1 (0 for the first scene)
 */
public record Scene(int index, long startMs, long endMs, String kind, double score) {
    public static final String START = "start";
    public static final String CUT = "cut";
    public static final String FADE = "fade";
    public static final String DISSOLVE = "dissolve";
}
