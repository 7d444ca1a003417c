package dev.vidprocme.media.transcode;

import dev.vidprocme.media.Ffmpeg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Packages a joined rendition as an HLS variant (fMP4 segments cut at its keyframes, a VOD
 * playlist) without re-encoding, and writes the master playlist that lists every variant with the
 * bandwidth, resolution, frame rate and codecs measured from what was written.
 */
public final class HlsPackager {
    /** Target segment length; the encoder's two-second GOPs make it exact for most inputs. */
    public static final int SEGMENT_SECONDS = 4;

    public static final String VARIANT_PLAYLIST = "index.m3u8";
    public static final String MASTER_PLAYLIST = "master.m3u8";

    private HlsPackager() {}

    /**
     * Writes {@code dir/index.m3u8}, {@code dir/init.mp4} and {@code dir/seg-NNNNN.m4s} from {@code
     * joined}; the variant's URI is {@code <dir name>/index.m3u8}, for a master playlist in {@code
     * dir}'s parent.
     */
    public static HlsVariant packageVariant(
            String name, Path joined, double frameRate, Path dir, BooleanSupplier stop)
            throws TranscodeException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TranscodeException("cannot create " + dir, e);
        }
        Path playlist = dir.resolve(VARIANT_PLAYLIST).toAbsolutePath();
        List<String> args = new ArrayList<>(List.of("-loglevel", "error"));
        args.addAll(List.of("-protocol_whitelist", Ffmpeg.PROTOCOL_WHITELIST));
        args.addAll(List.of("-i", "file:" + joined.toAbsolutePath()));
        args.addAll(List.of("-map", "0", "-c", "copy", "-f", "hls"));
        args.addAll(List.of("-hls_time", String.valueOf(SEGMENT_SECONDS)));
        args.addAll(List.of("-hls_playlist_type", "vod", "-hls_segment_type", "fmp4"));
        args.addAll(List.of("-hls_flags", "independent_segments"));
        args.addAll(List.of("-hls_fmp4_init_filename", "init.mp4"));
        args.addAll(
                List.of(
                        "-hls_segment_filename",
                        dir.toAbsolutePath().resolve("seg-%05d.m4s").toString()));
        args.add(playlist.toString());
        FfmpegRun.ffmpeg(args, null, stop, "packaging HLS for rendition " + name);

        MediaStreams probe = StreamProbe.probe(joined);
        if (probe.video() == null) {
            throw new TranscodeException("rendition " + name + " has no video to package");
        }
        String codecs = Rfc6381.of(probe.video());
        if (probe.audio() != null) {
            codecs += "," + Rfc6381.of(probe.audio());
        }
        long[] rates = bitrates(dir, playlist);
        return new HlsVariant(
                name,
                dir.getFileName() + "/" + VARIANT_PLAYLIST,
                rates[0],
                rates[1],
                probe.video().width(),
                probe.video().height(),
                codecs,
                frameRate);
    }

    /**
     * Peak and average bits/s over the playlist's segments (media bytes over their EXTINF
     * durations; the init segment counts towards the first).
     */
    static long[] bitrates(Path dir, Path playlist) throws TranscodeException {
        List<String> lines;
        try {
            lines = Files.readAllLines(playlist, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TranscodeException("cannot read " + playlist, e);
        }
        double peak = 0;
        double seconds = 0;
        long bytes = 0;
        long extra = size(dir.resolve("init.mp4"));
        double segmentSeconds = -1;
        for (String line : lines) {
            if (line.startsWith("#EXTINF:")) {
                String value = line.substring("#EXTINF:".length());
                int comma = value.indexOf(',');
                segmentSeconds = Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
            } else if (!line.isBlank() && !line.startsWith("#") && segmentSeconds > 0) {
                long size = size(dir.resolve(line.trim())) + extra;
                extra = 0;
                peak = Math.max(peak, size * 8 / segmentSeconds);
                bytes += size;
                seconds += segmentSeconds;
                segmentSeconds = -1;
            }
        }
        if (seconds <= 0) {
            throw new TranscodeException("HLS playlist " + playlist + " lists no segments");
        }
        return new long[] {(long) Math.ceil(peak), Math.round(bytes * 8 / seconds)};
    }

    private static long size(Path file) throws TranscodeException {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new TranscodeException("cannot read " + file, e);
        }
    }

    /** Writes the master playlist {@code file} listing {@code variants} in the given order. */
    public static Path writeMaster(Path file, List<HlsVariant> variants) throws TranscodeException {
        StringBuilder m3u8 =
                new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (HlsVariant v : variants) {
            m3u8.append(
                    String.format(
                            Locale.ROOT,
                            "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,RESOLUTION=%dx%d,"
                                    + "CODECS=\"%s\",FRAME-RATE=%.3f\n%s\n",
                            v.bandwidth(),
                            v.averageBandwidth(),
                            v.width(),
                            v.height(),
                            v.codecs(),
                            v.frameRate(),
                            v.uri()));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, m3u8, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TranscodeException("cannot write " + file, e);
        }
        return file;
    }
}
