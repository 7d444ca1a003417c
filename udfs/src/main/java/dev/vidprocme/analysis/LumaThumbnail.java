package dev.vidprocme.analysis;

/**
 * A frame shrunk to {@value FrameStats#THUMB_SIZE} x {@value FrameStats#THUMB_SIZE} luma values
 * (aspect ignored, so any two frames compare): what a caller keeps of the previous analysis frame
 * to measure motion, 4 KiB instead of the frame.
 */
public record LumaThumbnail(byte[] luma) {
    public LumaThumbnail {
        if (luma == null || luma.length != FrameStats.THUMB_SIZE * FrameStats.THUMB_SIZE) {
            throw new IllegalArgumentException(
                    "a thumbnail holds "
                            + FrameStats.THUMB_SIZE * FrameStats.THUMB_SIZE
                            + " luma bytes, got "
                            + (luma == null ? "null" : luma.length));
        }
    }
}
