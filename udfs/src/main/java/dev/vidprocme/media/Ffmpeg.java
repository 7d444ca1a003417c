package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/**
 * Process-wide FFmpeg setup and the safety rules every open follows: only the {@code file} protocol
 * and a whitelist of real media demuxers, so no input can make FFmpeg fetch a URL, follow an HLS or
 * concat playlist to other files, or read an image sequence by pattern.
 */
public final class Ffmpeg {
    /** Demuxers we read (FFmpeg matches any alias, e.g. "mov" covers mp4/m4a/3gp). */
    public static final String DEMUXER_WHITELIST =
            "mov,matroska,webm,avi,mpegts,mpeg,flv,ogg,asf,mxf,ivf,nut,h264,hevc,m4v,mjpeg,obu,gif";

    public static final String PROTOCOL_WHITELIST = "file";

    /**
     * The microsecond time base all our timestamps use; read-only, so one shared instance is safe.
     */
    static final org.bytedeco.ffmpeg.avutil.AVRational MICROS =
            new org.bytedeco.ffmpeg.avutil.AVRational().num(1).den(1_000_000);

    static {
        // Errors reach callers through return codes; FFmpeg's own stderr chatter is noise in a
        // pipeline.
        av_log_set_level(AV_LOG_FATAL);
    }

    private Ffmpeg() {}

    /** Loads the native libraries once; cheap after the first call. */
    public static void init() {
        Loader.load(avformat.class);
    }

    /**
     * Path of the {@code ffmpeg} program bundled with the native libraries (tests and benchmarks).
     */
    public static String executable() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    /** Path of the bundled {@code ffprobe} program. */
    public static String probeExecutable() {
        return Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
    }

    /**
     * A process builder for a bundled FFmpeg program ({@link #executable()} or {@link
     * #probeExecutable()}): the programs find their shared libraries beside them only through the
     * loader path.
     */
    public static ProcessBuilder program(String executable, java.util.List<String> args) {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(executable);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        String dir = java.nio.file.Path.of(executable).getParent().toString();
        String existing = System.getenv("LD_LIBRARY_PATH");
        builder.environment()
                .put(
                        "LD_LIBRARY_PATH",
                        existing == null || existing.isEmpty() ? dir : dir + ":" + existing);
        return builder;
    }

    /**
     * Opens a local file under the whitelists; returns FFmpeg's error code (negative) on failure.
     */
    static int openInput(AVFormatContext fmt, String path) {
        init();
        AVDictionary opts = new AVDictionary(null);
        try {
            avutil.av_dict_set(opts, "protocol_whitelist", PROTOCOL_WHITELIST, 0);
            avutil.av_dict_set(opts, "format_whitelist", DEMUXER_WHITELIST, 0);
            return avformat.avformat_open_input(fmt, "file:" + path, null, opts);
        } finally {
            avutil.av_dict_free(opts);
        }
    }

    /** FFmpeg's text for an error code. */
    public static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }
}
