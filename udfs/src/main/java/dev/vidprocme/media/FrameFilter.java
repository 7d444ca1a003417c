package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avfilter.AV_BUFFERSRC_FLAG_KEEP_REF;

import dev.vidprocme.records.FailureCode;
import org.bytedeco.ffmpeg.avfilter.AVFilterContext;
import org.bytedeco.ffmpeg.avfilter.AVFilterGraph;
import org.bytedeco.ffmpeg.avfilter.AVFilterInOut;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avfilter;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * An FFmpeg filter graph that turns a decoded frame into what we store: rotated upright, scaled
 * down to at most {@code maxWidth} (aspect kept, never up), converted to full-range 4:2:0 for the
 * JPEG encoder. It is rebuilt when the stream changes size or pixel format mid-way.
 */
final class FrameFilter implements AutoCloseable {
    private final int inWidth;
    private final int inHeight;
    private final int inFormat;
    private final AVFilterGraph graph;
    private final AVFilterContext source = new AVFilterContext();
    private final AVFilterContext sink = new AVFilterContext();
    private final AVFrame out = avutil.av_frame_alloc();

    FrameFilter(AVFrame first, int rotation, Integer maxWidth) throws MediaException {
        this.inWidth = first.width();
        this.inHeight = first.height();
        this.inFormat = first.format();
        this.graph = avfilter.avfilter_graph_alloc();
        int sarNum = first.sample_aspect_ratio().num();
        int sarDen = first.sample_aspect_ratio().den();
        String args =
                String.format(
                        "video_size=%dx%d:pix_fmt=%d:time_base=1/1000000:pixel_aspect=%d/%d",
                        inWidth,
                        inHeight,
                        inFormat,
                        sarNum > 0 ? sarNum : 1,
                        sarDen > 0 ? sarDen : 1);
        check(
                avfilter.avfilter_graph_create_filter(
                        source, avfilter.avfilter_get_by_name("buffer"), "in", args, null, graph),
                "buffer source");
        check(
                avfilter.avfilter_graph_create_filter(
                        sink,
                        avfilter.avfilter_get_by_name("buffersink"),
                        "out",
                        null,
                        null,
                        graph),
                "buffer sink");
        AVFilterInOut outputs = avfilter.avfilter_inout_alloc();
        AVFilterInOut inputs = avfilter.avfilter_inout_alloc();
        try {
            outputs.name(avutil.av_strdup(new org.bytedeco.javacpp.BytePointer("in")));
            outputs.filter_ctx(source);
            outputs.pad_idx(0);
            outputs.next(null);
            inputs.name(avutil.av_strdup(new org.bytedeco.javacpp.BytePointer("out")));
            inputs.filter_ctx(sink);
            inputs.pad_idx(0);
            inputs.next(null);
            String description = describe(rotation, inWidth, inHeight, maxWidth);
            check(
                    avfilter.avfilter_graph_parse_ptr(graph, description, inputs, outputs, null),
                    description);
            check(avfilter.avfilter_graph_config(graph, null), "filter graph");
        } finally {
            avfilter.avfilter_inout_free(inputs);
            avfilter.avfilter_inout_free(outputs);
        }
    }

    /** The filter chain for a frame of {@code width x height} as decoded. */
    static String describe(int rotation, int width, int height, Integer maxWidth) {
        StringBuilder chain = new StringBuilder();
        switch (rotation) {
            case 90 -> chain.append("transpose=clock,");
            case 180 -> chain.append("hflip,vflip,");
            case 270 -> chain.append("transpose=cclock,");
            default -> {}
        }
        int w = rotation % 180 == 0 ? width : height;
        int h = rotation % 180 == 0 ? height : width;
        if (maxWidth != null && w > maxWidth) {
            int scaledHeight = (int) Math.max(2, Math.round(h * (double) maxWidth / w / 2.0) * 2);
            chain.append("scale=").append(maxWidth).append(':').append(scaledHeight).append(',');
        }
        return chain.append("format=yuvj420p").toString();
    }

    boolean accepts(AVFrame frame) {
        return frame.width() == inWidth && frame.height() == inHeight && frame.format() == inFormat;
    }

    /** Filters one frame; the returned frame stays valid until the next call. */
    AVFrame apply(AVFrame in) throws MediaException {
        avutil.av_frame_unref(out);
        check(
                avfilter.av_buffersrc_add_frame_flags(source, in, AV_BUFFERSRC_FLAG_KEEP_REF),
                "filter input");
        check(avfilter.av_buffersink_get_frame(sink, out), "filter output");
        return out;
    }

    @Override
    public void close() {
        avutil.av_frame_unref(out);
        avutil.av_frame_free(out);
        avfilter.avfilter_graph_free(graph);
    }

    private static void check(int ret, String what) throws MediaException {
        if (ret < 0) {
            throw new MediaException(
                    FailureCode.DECODE_FAILED, "FFmpeg " + what + ": " + Ffmpeg.error(ret));
        }
    }
}
