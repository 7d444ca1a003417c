package dev.vidprocme.media.transcode;

/**
 * What {@link StreamProbe} found in a file; times in microseconds, -1 where the container did not
 * say.
 *
 * @param format the demuxer's name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param video the first video stream, or null
 * @param audio the first audio stream, or null
 */
public record MediaStreams(
        String format,
        long startUs,
        long durationUs,
        long bitRate,
        MediaStreams.Stream video,
        MediaStreams.Stream audio) {

    /**
     * One stream.
     *
     * @param packets the frame count the container's index declares, -1 where it has none
     * @param extradata the codec configuration record (avcC, hvcC, AudioSpecificConfig, ...)
     */
    public record Stream(
            String codec,
            String profile,
            int width,
            int height,
            double fps,
            long durationUs,
            long packets,
            long bitRate,
            byte[] extradata) {}
}
