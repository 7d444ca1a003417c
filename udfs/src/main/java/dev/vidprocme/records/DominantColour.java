package dev.vidprocme.records;

/**
 * One of a frame's dominant colours.
 *
 * @param hex the colour as {@code #rrggbb}
 * @param share the fraction of the frame's pixels near this colour, 0..1
 */
public record DominantColour(String hex, double share) {}
