package dev.vidprocme.media.transcode;

/**
 * One rendition's entry in the HLS master playlist, measured from its packaged segments.
 *
 * @param uri the variant playlist, relative to the master playlist
 * @param bandwidth the peak segment bitrate in bits/s
 * @param averageBandwidth the whole variant's average bitrate in bits/s
 * @param codecs RFC 6381 names, comma separated
 */
public record HlsVariant(
        String name,
        String uri,
        long bandwidth,
        long averageBandwidth,
        int width,
        int height,
        String codecs,
        double frameRate) {}
