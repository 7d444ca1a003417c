package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.SegmentTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes one segment of a video and hands every sampled frame, encoded as JPEG, to a {@link
 * FrameSink}.
 *
 * <p>The segment seeks to its starting keyframe and decodes until the first frame at or past its
 * end; in presentation order that frame comes after every frame of the segment, including the
 * leading pictures of an open GOP, so no frame is lost or produced twice at a boundary. Damaged
 * streams keep what decodes: errors are counted and described, not thrown, unless nothing at all
 * comes out.
 */
public final class SegmentDecoder {
    /**
     * libavutil/frame.h: the decoder concealed errors in this frame (not mapped by the presets).
     */
    private static final int AV_FRAME_FLAG_CORRUPT = 1;

    /**
     * JPEG workers per segment by default: filtering and encoding cost about as much as decoding.
     */
    public static final int DEFAULT_ENCODE_THREADS = 2;

    private final int decoderThreads;
    private final int encodeThreads;

    /**
     * @param decoderThreads FFmpeg decoder threads per segment; 0 lets FFmpeg choose
     */
    public SegmentDecoder(int decoderThreads) {
        this(decoderThreads, DEFAULT_ENCODE_THREADS);
    }

    /**
     * @param decoderThreads FFmpeg decoder threads per segment; 0 lets FFmpeg choose
     * @param encodeThreads threads per segment that filter and JPEG-encode frames
     */
    public SegmentDecoder(int decoderThreads, int encodeThreads) {
        this.decoderThreads = decoderThreads;
        this.encodeThreads = encodeThreads;
    }

    public DecodeOutcome decode(
            Path input, SegmentTask task, FrameSink sink, BooleanSupplier cancelled)
            throws MediaException, IOException {
        AVFormatContext fmt = new AVFormatContext(null);
        int ret = Ffmpeg.openInput(fmt, input.toString());
        if (ret < 0) {
            throw new MediaException(
                    FailureCode.UNRECOGNIZED_FORMAT, "cannot open the input: " + Ffmpeg.error(ret));
        }
        AVCodecContext decoder = null;
        AVPacket packet = null;
        AVFrame frame = null;
        Emitter emitter = null;
        try {
            ret = avformat.avformat_find_stream_info(fmt, (PointerPointer<?>) null);
            if (ret < 0) {
                throw new MediaException(
                        FailureCode.PROBE_FAILED,
                        "could not read stream information: " + Ffmpeg.error(ret));
            }
            int vs = VideoStreams.best(fmt);
            if (vs < 0) {
                throw new MediaException(
                        FailureCode.NO_VIDEO_STREAM, "the file has no video stream");
            }
            for (int i = 0; i < fmt.nb_streams(); i++) {
                if (i != vs) {
                    fmt.streams(i).discard(avcodec.AVDISCARD_ALL);
                }
            }
            AVStream stream = fmt.streams(vs);
            decoder = openDecoder(stream);
            AVRational timeBase = stream.time_base();
            if (task.startUs() > 0) {
                long target =
                        avutil.av_rescale_q(
                                task.originUs() + task.startUs(), Ffmpeg.MICROS, timeBase);
                ret = avformat.av_seek_frame(fmt, vs, target, AVSEEK_FLAG_BACKWARD);
                if (ret < 0) {
                    throw new MediaException(
                            FailureCode.DECODE_FAILED,
                            "cannot seek to the segment: " + Ffmpeg.error(ret));
                }
            }
            packet = avcodec.av_packet_alloc();
            frame = avutil.av_frame_alloc();
            emitter = new Emitter(task, sink, timeBase, cancelled, encodeThreads);
            boolean done = false;
            while (!done) {
                ret = avformat.av_read_frame(fmt, packet);
                if (ret < 0) {
                    if (ret != avutil.AVERROR_EOF()) {
                        emitter.damage("the stream breaks off: " + Ffmpeg.error(ret));
                    }
                    break;
                }
                if (packet.stream_index() != vs) {
                    avcodec.av_packet_unref(packet);
                    continue;
                }
                ret = avcodec.avcodec_send_packet(decoder, packet);
                avcodec.av_packet_unref(packet);
                if (ret < 0 && ret != avutil.AVERROR_EAGAIN()) {
                    emitter.decodeError(ret);
                }
                done = drain(decoder, frame, emitter);
            }
            if (!done) {
                avcodec.avcodec_send_packet(decoder, null);
                drain(decoder, frame, emitter);
            }
            return emitter.outcome();
        } finally {
            if (emitter != null) {
                emitter.close();
            }
            if (frame != null) {
                avutil.av_frame_free(frame);
            }
            if (packet != null) {
                avcodec.av_packet_free(packet);
            }
            if (decoder != null) {
                avcodec.avcodec_free_context(decoder);
            }
            avformat.avformat_close_input(fmt);
        }
    }

    private AVCodecContext openDecoder(AVStream stream) throws MediaException {
        AVCodec codec = avcodec.avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null || codec.isNull()) {
            throw new MediaException(
                    FailureCode.DECODE_FAILED,
                    "no decoder for codec "
                            + avcodec.avcodec_get_name(stream.codecpar().codec_id()).getString());
        }
        AVCodecContext context = avcodec.avcodec_alloc_context3(codec);
        avcodec.avcodec_parameters_to_context(context, stream.codecpar());
        context.pkt_timebase(stream.time_base());
        context.thread_count(decoderThreads);
        int ret =
                avcodec.avcodec_open2(
                        context, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
        if (ret < 0) {
            avcodec.avcodec_free_context(context);
            throw new MediaException(
                    FailureCode.DECODE_FAILED, "cannot open the decoder: " + Ffmpeg.error(ret));
        }
        return context;
    }

    /** Pulls every frame the decoder has ready; true once the segment is complete. */
    private static boolean drain(AVCodecContext decoder, AVFrame frame, Emitter emitter)
            throws MediaException, IOException {
        while (true) {
            int ret = avcodec.avcodec_receive_frame(decoder, frame);
            if (ret == avutil.AVERROR_EAGAIN() || ret == avutil.AVERROR_EOF()) {
                return false;
            }
            if (ret < 0) {
                emitter.decodeError(ret);
                return false;
            }
            boolean complete = emitter.onFrame(frame);
            avutil.av_frame_unref(frame);
            if (complete) {
                return true;
            }
        }
    }

    /** Decides which decoded frames the segment keeps, under which index, and writes them. */
    private static final class Emitter implements AutoCloseable {
        private final SegmentTask task;
        private final AVRational timeBase;
        private final BooleanSupplier cancelled;
        private final long halfFrameUs;
        private final EncodeStage stage;
        private long emitted;
        private long nextSample;
        private long lastRelUs = Long.MIN_VALUE;
        private long decodeErrors;
        private long concealedFrames;
        private String firstError;
        private String damage;

        Emitter(
                SegmentTask task,
                FrameSink sink,
                AVRational timeBase,
                BooleanSupplier cancelled,
                int encodeThreads) {
            this.task = task;
            this.timeBase = timeBase;
            this.cancelled = cancelled;
            this.halfFrameUs = task.frameDurationUs() / 2;
            this.nextSample = task.firstSampleIndex();
            this.stage = new EncodeStage(task, sink, encodeThreads);
        }

        /** Handles one decoded frame; true when the segment has everything it owns. */
        boolean onFrame(AVFrame frame) throws MediaException, IOException {
            if (cancelled.getAsBoolean()) {
                throw new MediaException(
                        FailureCode.DEADLINE_EXCEEDED, "decoding was stopped at its deadline");
            }
            long rel = relativeTime(frame);
            if (rel < task.startUs()) {
                return false;
            }
            if (!task.lastSegment() && rel >= task.endUs()) {
                return true;
            }
            if (frame.decode_error_flags() != 0 || (frame.flags() & AV_FRAME_FLAG_CORRUPT) != 0) {
                concealedFrames++;
            }
            Double fps = task.frames().fps();
            if (fps == null) {
                if (!task.lastSegment() && emitted >= task.expectedFrames()) {
                    damage("more frames than the packet index announced; extra frames dropped");
                    return false;
                }
                write(task.firstFrameIndex() + emitted, rel, frame);
            } else if (SegmentPlanner.sampleTimeUs(fps, nextSample) <= rel + halfFrameUs) {
                write(nextSample, rel, frame);
                while (SegmentPlanner.sampleTimeUs(fps, nextSample) <= rel + halfFrameUs) {
                    nextSample++;
                }
            }
            return false;
        }

        private long relativeTime(AVFrame frame) {
            long ts = frame.best_effort_timestamp();
            if (ts == AV_NOPTS_VALUE) {
                ts = frame.pts();
            }
            long rel;
            if (ts == AV_NOPTS_VALUE) {
                rel =
                        lastRelUs == Long.MIN_VALUE
                                ? task.startUs()
                                : lastRelUs + task.frameDurationUs();
            } else {
                rel = avutil.av_rescale_q(ts, timeBase, Ffmpeg.MICROS) - task.originUs();
            }
            lastRelUs = rel;
            return rel;
        }

        private void write(long index, long relUs, AVFrame frame)
                throws MediaException, IOException {
            stage.submit(index, relUs, frame);
            emitted++;
        }

        void decodeError(int ret) {
            decodeErrors++;
            if (firstError == null) {
                firstError = Ffmpeg.error(ret);
            }
        }

        void damage(String what) {
            if (damage == null) {
                damage = what;
            }
        }

        /** Waits for every kept frame to be written, then sums up the segment. */
        DecodeOutcome outcome() throws MediaException, IOException {
            stage.finish();
            if (emitted == 0 && (decodeErrors > 0 || damage != null)) {
                throw new MediaException(
                        FailureCode.DECODE_FAILED, "no frame could be decoded: " + describe());
            }
            boolean damaged = decodeErrors > 0 || concealedFrames > 0 || damage != null;
            return new DecodeOutcome(emitted, decodeErrors, damaged ? describe() : null);
        }

        private String describe() {
            StringBuilder sb = new StringBuilder();
            if (decodeErrors > 0) {
                sb.append(decodeErrors).append(" decode error(s), first: ").append(firstError);
            }
            if (concealedFrames > 0) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(concealedFrames).append(" frame(s) decoded with concealed errors");
            }
            if (damage != null) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(damage);
            }
            return sb.toString();
        }

        @Override
        public void close() {
            stage.close();
        }
    }
}
