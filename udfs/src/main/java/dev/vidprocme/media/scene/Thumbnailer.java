package dev.vidprocme.media.scene;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV444P;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Shrinks a decoded CPU frame to the detector's {@value Thumbnails#WIDTH}x{@value
 * Thumbnails#HEIGHT} planar YUV thumbnail with swscale's area filter, which averages every source
 * pixel, so noise and fine motion wash out and a 720p frame costs a fraction of its decoding. Not
 * thread-safe: one per decode loop.
 */
public final class Thumbnailer implements AutoCloseable {
    private final BytePointer pixels = new BytePointer(Thumbnails.SIZE);
    private final PointerPointer<BytePointer> planes = new PointerPointer<>(3);
    private final IntPointer strides =
            new IntPointer(Thumbnails.WIDTH, Thumbnails.WIDTH, Thumbnails.WIDTH);
    private SwsContext context;

    public Thumbnailer() {
        for (int p = 0; p < 3; p++) {
            planes.put(p, pixels.getPointer(BytePointer.class, (long) p * Thumbnails.PLANE));
        }
    }

    /** The thumbnail of {@code frame} (a software frame in any pixel format swscale reads). */
    public byte[] thumbnail(AVFrame frame) {
        context =
                swscale.sws_getCachedContext(
                        context,
                        frame.width(),
                        frame.height(),
                        frame.format(),
                        Thumbnails.WIDTH,
                        Thumbnails.HEIGHT,
                        AV_PIX_FMT_YUV444P,
                        swscale.SWS_AREA,
                        null,
                        null,
                        (DoublePointer) null);
        if (context == null || context.isNull()) {
            throw new IllegalStateException(
                    "swscale cannot convert "
                            + frame.width()
                            + "x"
                            + frame.height()
                            + " pixel format "
                            + frame.format());
        }
        swscale.sws_scale(
                context, frame.data(), frame.linesize(), 0, frame.height(), planes, strides);
        byte[] out = new byte[Thumbnails.SIZE];
        pixels.get(out);
        return out;
    }

    @Override
    public void close() {
        if (context != null) {
            swscale.sws_freeContext(context);
            context = null;
        }
        planes.close();
        strides.close();
        pixels.close();
    }
}
