package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;

import dev.vidprocme.records.FailureCode;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * FFmpeg's own MJPEG encoder at a fixed quantiser scale, the same encoder and setting as {@code
 * ffmpeg -q:v N out%d.jpg}; several times faster than Java ImageIO.
 */
final class JpegEncoder implements AutoCloseable {
    private final AVCodecContext context;
    private final AVPacket packet = avcodec.av_packet_alloc();
    private final int width;
    private final int height;
    private final int qscale;
    private long pts;

    JpegEncoder(int width, int height, int pixelFormat, int qscale) throws MediaException {
        this.width = width;
        this.height = height;
        this.qscale = qscale;
        AVCodec codec = avcodec.avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        context = avcodec.avcodec_alloc_context3(codec);
        context.width(width);
        context.height(height);
        context.pix_fmt(pixelFormat);
        context.color_range(AVCOL_RANGE_JPEG);
        context.time_base(new AVRational().num(1).den(25));
        context.flags(context.flags() | AV_CODEC_FLAG_QSCALE);
        context.global_quality(qscale * FF_QP2LAMBDA);
        int ret =
                avcodec.avcodec_open2(
                        context, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (ret < 0) {
            close();
            throw new MediaException(
                    FailureCode.INTERNAL, "cannot open the JPEG encoder: " + Ffmpeg.error(ret));
        }
    }

    boolean accepts(AVFrame frame) {
        return frame.width() == width
                && frame.height() == height
                && frame.format() == context.pix_fmt();
    }

    byte[] encode(AVFrame frame) throws MediaException {
        frame.quality(qscale * FF_QP2LAMBDA);
        frame.pts(pts++);
        int ret = avcodec.avcodec_send_frame(context, frame);
        if (ret < 0) {
            throw new MediaException(
                    FailureCode.INTERNAL, "JPEG encoding failed: " + Ffmpeg.error(ret));
        }
        ret = avcodec.avcodec_receive_packet(context, packet);
        if (ret < 0) {
            throw new MediaException(
                    FailureCode.INTERNAL, "JPEG encoding failed: " + Ffmpeg.error(ret));
        }
        try {
            byte[] jpeg = new byte[packet.size()];
            packet.data().get(jpeg);
            return jpeg;
        } finally {
            avcodec.av_packet_unref(packet);
        }
    }

    @Override
    public void close() {
        avcodec.av_packet_free(packet);
        avcodec.avcodec_free_context(context);
    }
}
