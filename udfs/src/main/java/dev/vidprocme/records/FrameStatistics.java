package dev.vidprocme.records;

import java.util.List;

/**
 * Cheap per-frame measurements that need no model, computed by {@code
 * dev.vidprocme.analysis.FrameStats}.
 *
 * @param brightness mean luma (BT.601), 0 black .. 1 white
 * @param sharpness variance of the 4-neighbour Laplacian of the luma (0..255 levels) on the frame
 *     scaled to {@value dev.vidprocme.analysis.FrameStats#WORK_WIDTH} pixels wide; higher is
 *     sharper, a flat frame is 0
 * @param colours up to three dominant colours, largest share first
 * @param motion mean absolute luma difference to the previous analysis frame of the same segment on
 *     a {@value dev.vidprocme.analysis.FrameStats#THUMB_SIZE}-square thumbnail, 0 (identical) .. 1;
 *     null for a segment's first analysis frame
 */
public record FrameStatistics(
        double brightness, double sharpness, List<DominantColour> colours, Double motion) {
    public FrameStatistics {
        colours = colours == null ? List.of() : List.copyOf(colours);
    }
}
