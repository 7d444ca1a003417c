package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;

/** Picks the video stream to decode: the largest real video stream, never cover art. */
final class VideoStreams {
    private VideoStreams() {}

    /** Index of the stream, or -1 when the container has no real video. */
    static int best(AVFormatContext fmt) {
        int best = -1;
        long bestArea = -1;
        for (int i = 0; i < fmt.nb_streams(); i++) {
            AVStream stream = fmt.streams(i);
            AVCodecParameters par = stream.codecpar();
            if (par.codec_type() != AVMEDIA_TYPE_VIDEO
                    || (stream.disposition() & AV_DISPOSITION_ATTACHED_PIC) != 0) {
                continue;
            }
            long area = (long) par.width() * par.height();
            if (area > bestArea) {
                best = i;
                bestArea = area;
            }
        }
        return best;
    }
}
