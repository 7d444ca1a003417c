package dev.vidprocme.analysis;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;

import dev.vidprocme.media.Ffmpeg;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.records.FailureCode;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns a stored frame JPEG into an {@link RgbImage} with FFmpeg's MJPEG decoder and swscale, the
 * same libraries that wrote it; about ten times faster than ImageIO plus {@link RgbImage#of} on
 * 720p frames ({@code AnalysisCostBenchmark}). Not thread-safe: one per thread, reused across
 * frames.
 */
public final class JpegDecoder implements AutoCloseable {
    private final AVCodecContext context;
    private final AVPacket packet = avcodec.av_packet_alloc();
    private final AVFrame frame = avutil.av_frame_alloc();
    private SwsContext scaler;
    private BytePointer rgb;
    private long rgbCapacity;

    public JpegDecoder() throws MediaException {
        Ffmpeg.init();
        AVCodec codec = avcodec.avcodec_find_decoder(AV_CODEC_ID_MJPEG);
        context = avcodec.avcodec_alloc_context3(codec);
        // A still needs no frame threads, and one thread keeps the per-frame latency predictable.
        context.thread_count(1);
        int ret =
                avcodec.avcodec_open2(
                        context, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (ret < 0) {
            close();
            throw new MediaException(
                    FailureCode.INTERNAL, "cannot open the JPEG decoder: " + Ffmpeg.error(ret));
        }
    }

    /** Decodes one JPEG; a corrupt or empty one fails with a {@link MediaException}. */
    public RgbImage decode(byte[] jpeg) throws MediaException {
        if (jpeg == null || jpeg.length == 0) {
            throw new MediaException(FailureCode.DECODE_FAILED, "the frame JPEG is empty");
        }
        check(avcodec.av_new_packet(packet, jpeg.length), "cannot allocate a packet");
        try {
            packet.data().put(jpeg);
            check(avcodec.avcodec_send_packet(context, packet), "the frame JPEG is invalid");
            check(avcodec.avcodec_receive_frame(context, frame), "the frame JPEG is invalid");
        } finally {
            avcodec.av_packet_unref(packet);
        }
        try {
            return toRgb(frame);
        } finally {
            avutil.av_frame_unref(frame);
        }
    }

    private RgbImage toRgb(AVFrame in) throws MediaException {
        int w = in.width();
        int h = in.height();
        scaler =
                swscale.sws_getCachedContext(
                        scaler,
                        w,
                        h,
                        in.format(),
                        w,
                        h,
                        avutil.AV_PIX_FMT_RGB24,
                        swscale.SWS_BILINEAR,
                        null,
                        null,
                        (DoublePointer) null);
        if (scaler == null) {
            throw new MediaException(
                    FailureCode.DECODE_FAILED,
                    "cannot convert pixel format " + in.format() + " to RGB");
        }
        long size = 3L * w * h;
        if (rgb == null || rgbCapacity < size) {
            if (rgb != null) {
                rgb.close();
            }
            rgb = new BytePointer(size);
            rgbCapacity = size;
        }
        int lines =
                swscale.sws_scale(
                        scaler,
                        in.data(),
                        in.linesize(),
                        0,
                        h,
                        new PointerPointer<>(rgb, null, null, null),
                        new IntPointer(new int[] {3 * w, 0, 0, 0}));
        if (lines != h) {
            throw new MediaException(
                    FailureCode.DECODE_FAILED, "RGB conversion returned " + lines + " rows");
        }
        byte[] out = new byte[(int) size];
        rgb.position(0).get(out);
        return new RgbImage(w, h, out);
    }

    @Override
    public void close() {
        avcodec.av_packet_free(packet);
        avutil.av_frame_free(frame);
        avcodec.avcodec_free_context(context);
        if (scaler != null) {
            swscale.sws_freeContext(scaler);
            scaler = null;
        }
        if (rgb != null) {
            rgb.close();
            rgb = null;
        }
    }

    private static void check(int ret, String what) throws MediaException {
        if (ret < 0) {
            throw new MediaException(FailureCode.DECODE_FAILED, what + ": " + Ffmpeg.error(ret));
        }
    }
}
