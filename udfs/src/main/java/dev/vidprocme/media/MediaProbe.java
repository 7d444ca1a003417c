package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.VideoInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.IntPointer;

/**
 * Probes a video: container, codec, size, frame rate, rotation, and the packet index (one pass over
 * the packets without decoding). Failures are classified into the codes users see.
 */
public final class MediaProbe {
    /**
     * Containers whose seek lands exactly on the requested keyframe, so segments can start
     * mid-file.
     */
    private static final Set<String> EXACT_SEEK = Set.of("mov", "matroska", "webm", "mp4");

    private MediaProbe() {}

    public static ProbeResult probe(Path path) throws MediaException {
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new MediaException(FailureCode.INPUT_NOT_FOUND, "the input file does not exist");
        } catch (IOException e) {
            throw new MediaException(
                    FailureCode.INPUT_NOT_FOUND, "cannot read the input: " + e.getMessage());
        }
        if (size == 0) {
            throw new MediaException(FailureCode.EMPTY_INPUT, "the input is empty (0 bytes)");
        }
        AVFormatContext fmt = new AVFormatContext(null);
        int ret = Ffmpeg.openInput(fmt, path.toString());
        if (ret < 0) {
            if (isMp4WithoutMoov(path)) {
                throw new MediaException(
                        FailureCode.MP4_MISSING_MOOV,
                        "the MP4 has no moov atom (its index is missing, e.g. an interrupted"
                                + " recording or upload); it cannot be decoded");
            }
            throw new MediaException(
                    FailureCode.UNRECOGNIZED_FORMAT,
                    "not a video container this service reads (" + Ffmpeg.error(ret) + ")");
        }
        try {
            ret =
                    avformat.avformat_find_stream_info(
                            fmt, (org.bytedeco.javacpp.PointerPointer<?>) null);
            if (ret < 0) {
                throw new MediaException(
                        FailureCode.PROBE_FAILED,
                        "could not read stream information: " + Ffmpeg.error(ret));
            }
            int vs = VideoStreams.best(fmt);
            if (vs < 0) {
                throw new MediaException(
                        FailureCode.NO_VIDEO_STREAM,
                        "the file has no video stream (" + describeStreams(fmt) + ")");
            }
            return index(fmt, vs);
        } finally {
            avformat.avformat_close_input(fmt);
        }
    }

    private static ProbeResult index(AVFormatContext fmt, int vs) throws MediaException {
        AVStream stream = fmt.streams(vs);
        for (int i = 0; i < fmt.nb_streams(); i++) {
            if (i != vs) {
                fmt.streams(i).discard(avcodec.AVDISCARD_ALL);
            }
        }
        AVRational tb = stream.time_base();
        LongList pts = new LongList();
        LongList keys = new LongList();
        long corrupt = 0;
        String indexError = null;
        AVPacket pkt = avcodec.av_packet_alloc();
        try {
            long lastDts = AV_NOPTS_VALUE;
            while (true) {
                int ret = avformat.av_read_frame(fmt, pkt);
                if (ret < 0) {
                    if (ret != avutil.AVERROR_EOF()) {
                        indexError = "the stream breaks off: " + Ffmpeg.error(ret);
                    }
                    break;
                }
                if (pkt.stream_index() == vs) {
                    long t = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                    if (t == AV_NOPTS_VALUE && lastDts != AV_NOPTS_VALUE) {
                        t = lastDts + Math.max(1, pkt.duration());
                    }
                    if (t != AV_NOPTS_VALUE) {
                        long us = avutil.av_rescale_q(t, tb, Ffmpeg.MICROS);
                        pts.add(us);
                        if ((pkt.flags() & AV_PKT_FLAG_KEY) != 0) {
                            keys.add(us);
                        }
                        lastDts = t;
                    }
                    if ((pkt.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
                        corrupt++;
                    }
                }
                avcodec.av_packet_unref(pkt);
            }
        } finally {
            avcodec.av_packet_free(pkt);
        }
        if (pts.size() == 0) {
            throw new MediaException(FailureCode.DECODE_FAILED, "the video stream holds no frames");
        }
        long[] framePts = pts.sorted();
        long origin = framePts[0];
        for (int i = 0; i < framePts.length; i++) {
            framePts[i] -= origin;
        }
        long[] keyPts = keys.sorted();
        for (int i = 0; i < keyPts.length; i++) {
            keyPts[i] -= origin;
        }
        AVCodecParameters par = stream.codecpar();
        AVRational rate = avformat.av_guess_frame_rate(fmt, stream, null);
        double fps = rate.den() > 0 && rate.num() > 0 ? (double) rate.num() / rate.den() : 0;
        long frameUs = fps > 0 ? Math.round(1_000_000 / fps) : 0;
        long durationMs = (framePts[framePts.length - 1] + frameUs) / 1000;
        String container = fmt.iformat().name().getString();
        VideoInfo video =
                new VideoInfo(
                        container,
                        avcodec.avcodec_get_name(par.codec_id()).getString(),
                        par.width(),
                        par.height(),
                        fps,
                        durationMs,
                        rotation(par),
                        framePts.length);
        boolean exactSeek =
                Arrays.stream(container.split(",")).anyMatch(EXACT_SEEK::contains)
                        && keyPts.length > 0;
        return new ProbeResult(video, origin, framePts, keyPts, exactSeek, corrupt, indexError);
    }

    /** Clockwise degrees (0, 90, 180, 270) a player turns the picture to show it upright. */
    static int rotation(AVCodecParameters par) {
        AVPacketSideData sd =
                avcodec.av_packet_side_data_get(
                        par.coded_side_data(), par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < 9 * 4) {
            return 0;
        }
        // The matrix stores a counter-clockwise angle; players rotate by its negation.
        double ccw = avutil.av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(ccw)) {
            return 0;
        }
        long cw = Math.round(-ccw / 90.0) * 90;
        return (int) (((cw % 360) + 360) % 360);
    }

    private static String describeStreams(AVFormatContext fmt) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.nb_streams(); i++) {
            AVCodecParameters par = fmt.streams(i).codecpar();
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(
                            avutil.av_get_media_type_string(par.codec_type()) == null
                                    ? "unknown"
                                    : avutil.av_get_media_type_string(par.codec_type()).getString())
                    .append(' ')
                    .append(avcodec.avcodec_get_name(par.codec_id()).getString());
        }
        return sb.length() == 0 ? "no streams at all" : "streams: " + sb;
    }

    /**
     * An ISO-BMFF file (it starts with ftyp, or carries mdat at top level) whose top-level boxes
     * contain no moov: FFmpeg only says "invalid data", users deserve the real cause.
     */
    static boolean isMp4WithoutMoov(Path path) {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            long length = f.length();
            long pos = 0;
            boolean iso = false;
            byte[] header = new byte[16];
            while (pos + 8 <= length) {
                f.seek(pos);
                f.readFully(header, 0, 8);
                long boxSize =
                        ((header[0] & 0xffL) << 24)
                                | ((header[1] & 0xffL) << 16)
                                | ((header[2] & 0xffL) << 8)
                                | (header[3] & 0xffL);
                String type = new String(header, 4, 4, StandardCharsets.ISO_8859_1);
                if (pos == 0 && !type.equals("ftyp")) {
                    return false;
                }
                iso = true;
                if (type.equals("moov")) {
                    return false;
                }
                if (boxSize == 1 && pos + 16 <= length) {
                    f.readFully(header, 8, 8);
                    boxSize = 0;
                    for (int i = 8; i < 16; i++) {
                        boxSize = (boxSize << 8) | (header[i] & 0xffL);
                    }
                } else if (boxSize == 0) {
                    break;
                }
                if (boxSize < 8) {
                    break;
                }
                pos += boxSize;
            }
            return iso;
        } catch (IOException e) {
            return false;
        }
    }

    /** A growable array of primitive longs (a 2-hour 60 fps video has 432,000 frames). */
    private static final class LongList {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        long[] sorted() {
            long[] out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }
    }
}
