package dev.vidprocme.analysis.caption;

/**
 * One analysis frame to caption: its index in the job and its JPEG bytes.
 *
 * @param frameIndex the frame's index in the job, the key its caption is stored under
 * @param jpeg the encoded image, sent as is
 */
public record CaptionFrame(long frameIndex, byte[] jpeg) {
    public CaptionFrame {
        if (jpeg == null || jpeg.length == 0) {
            throw new IllegalArgumentException("frame " + frameIndex + " has no JPEG bytes");
        }
    }
}
