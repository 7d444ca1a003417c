package dev.vidprocme.records;

/**
 * A transition found while decoding: the scene that starts at source frame {@code frame}.
 *
 * @param frame the source frame number (0-based, presentation order) of the new scene's first frame
 * @param ptsUs that frame's presentation time relative to the video's first frame
 * @param kind {@link Scene#CUT}, {@link Scene#FADE} or {@link Scene#DISSOLVE}
 * @param score how strong the change is, 0..1
 * @param intoFlat a fade that ends in a flat picture (fade-out); false for every other transition
 */
public record SceneTransition(
        long frame, long ptsUs, String kind, double score, boolean intoFlat) {}
