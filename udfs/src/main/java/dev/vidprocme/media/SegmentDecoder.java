package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.vidprocme.media.scene.SceneDetector;
import dev.vidprocme.media.scene.Thumbnailer;
import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.FrameMode;
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
 *
 * <p>Every frame the segment owns, kept or not, also goes through a {@link SceneDetector} (a 32x18
 * thumbnail each), whose findings come back on the {@link DecodeOutcome}; {@code frames.mode} then
 * decides what is kept: every frame, the fps grid, keyframes, or a representative frame per scene.
 * Kept frames are indexed by source frame number (the fps grid by sample number), so indices do not
 * depend on segmenting or retries.
 *
 * <p>With a GPU it decodes on CUDA where FFmpeg can ({@link HardwareDecoder}) and downloads each
 * frame once for the detector and the encoder; everything else, and every input without a GPU,
 * takes the CPU path unchanged. The stop condition is also FFmpeg's interrupt callback ({@link
 * InputInterrupt}), so it ends reads that produce no frame, not only the decoding of frames.
 */
public final class SegmentDecoder implements FrameDecoder {
    /**
     * libavutil/frame.h: the decoder concealed errors in this frame (not mapped by the presets).
     */
    private static final int AV_FRAME_FLAG_CORRUPT = 1;

    /** libavutil/frame.h: the frame is a keyframe (replaces the removed {@code key_frame}). */
    private static final int AV_FRAME_FLAG_KEY = 1 << 1;

    /**
     * JPEG workers per segment by default: filtering and encoding cost about as much as decoding.
     */
    public static final int DEFAULT_ENCODE_THREADS = 2;

    private final int decoderThreads;
    private final int encodeThreads;
    // Null: decode on the CPU.
    private final HardwareDecoder hardware;
    // False only for a decoder made by withoutSceneDetection().
    private final boolean detectScenes;

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
        this(decoderThreads, encodeThreads, HwAccel.NONE, null);
    }

    /**
     * @param decoderThreads FFmpeg decoder threads per segment; 0 lets FFmpeg choose
     * @param encodeThreads threads per segment that filter and JPEG-encode frames
     * @param hwaccel whether to decode on the GPU
     * @param gpuIndex the CUDA device Flink assigned to this subtask, or null
     * @throws IllegalStateException when {@code hwaccel} is {@link HwAccel#CUDA} and no CUDA device
     *     can be opened
     */
    public SegmentDecoder(
            int decoderThreads, int encodeThreads, HwAccel hwaccel, Integer gpuIndex) {
        this.decoderThreads = decoderThreads;
        this.encodeThreads = encodeThreads;
        this.hardware = HardwareDecoder.select(hwaccel, gpuIndex);
        this.detectScenes = true;
    }

    private SegmentDecoder(SegmentDecoder other, boolean detectScenes) {
        this.decoderThreads = other.decoderThreads;
        this.encodeThreads = other.encodeThreads;
        this.hardware = other.hardware;
        this.detectScenes = detectScenes;
    }

    /**
     * This decoder without scene detection (no {@link DecodeOutcome#scenes}), except in {@code
     * frames.mode} scenes, which needs it: the baseline the scene benchmark measures against.
     */
    public SegmentDecoder withoutSceneDetection() {
        return new SegmentDecoder(this, false);
    }

    /** Where segments are decoded when the codec allows: {@code cpu} or {@code cuda:1}. */
    public String device() {
        return hardware == null ? DecodeOutcome.CPU : hardware.label();
    }

    @Override
    public DecodeOutcome decode(
            Path input, SegmentTask task, FrameSink sink, BooleanSupplier cancelled)
            throws MediaException, IOException {
        AVFormatContext fmt = avformat.avformat_alloc_context();
        try (InputInterrupt interrupt = InputInterrupt.install(fmt, cancelled)) {
            return decode(fmt, interrupt, input, task, sink, cancelled);
        }
    }

    private DecodeOutcome decode(
            AVFormatContext fmt,
            InputInterrupt interrupt,
            Path input,
            SegmentTask task,
            FrameSink sink,
            BooleanSupplier cancelled)
            throws MediaException, IOException {
        int ret = Ffmpeg.openInput(fmt, input.toString());
        if (ret < 0) {
            stopIfInterrupted(interrupt);
            throw new MediaException(
                    FailureCode.UNRECOGNIZED_FORMAT, "cannot open the input: " + Ffmpeg.error(ret));
        }
        AVCodecContext decoder = null;
        AVPacket packet = null;
        AVFrame frame = null;
        AVFrame download = null;
        Emitter emitter = null;
        try {
            ret = avformat.avformat_find_stream_info(fmt, (PointerPointer<?>) null);
            if (ret < 0) {
                stopIfInterrupted(interrupt);
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
            if (hardware != null
                    && decoder.hw_device_ctx() != null
                    && !decoder.hw_device_ctx().isNull()) {
                download = avutil.av_frame_alloc();
            }
            AVRational timeBase = stream.time_base();
            if (task.startUs() > 0) {
                long target =
                        avutil.av_rescale_q(
                                task.originUs() + task.startUs(), Ffmpeg.MICROS, timeBase);
                ret = avformat.av_seek_frame(fmt, vs, target, AVSEEK_FLAG_BACKWARD);
                if (ret < 0) {
                    stopIfInterrupted(interrupt);
                    throw new MediaException(
                            FailureCode.DECODE_FAILED,
                            "cannot seek to the segment: " + Ffmpeg.error(ret));
                }
            }
            packet = avcodec.av_packet_alloc();
            frame = avutil.av_frame_alloc();
            emitter =
                    new Emitter(
                            task,
                            sink,
                            timeBase,
                            cancelled,
                            encodeThreads,
                            download,
                            detectScenes || task.frames().mode() == FrameMode.SCENES);
            boolean done = false;
            while (!done) {
                ret = avformat.av_read_frame(fmt, packet);
                if (ret < 0) {
                    stopIfInterrupted(interrupt);
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
            return emitter.outcome(device(decoder, emitter));
        } finally {
            if (emitter != null) {
                emitter.close();
            }
            if (frame != null) {
                avutil.av_frame_free(frame);
            }
            if (download != null) {
                avutil.av_frame_free(download);
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

    /**
     * The GPU when it decoded the frames, else the CPU. FFmpeg falls back to software by itself
     * when NVDEC refuses a stream (a profile, chroma format or size it does not support); that is
     * said once too.
     */
    private String device(AVCodecContext decoder, Emitter emitter) {
        if (emitter.decodedOnGpu()) {
            return hardware.label();
        }
        if (emitter.offeredGpu() && emitter.emitted > 0) {
            HardwareDecoder.sayOnce(
                    "NVDEC on "
                            + hardware.label()
                            + " did not take a "
                            + avcodec.avcodec_get_name(decoder.codec_id()).getString()
                            + " "
                            + pixelFormatName(decoder.pix_fmt())
                            + " stream; FFmpeg decoded it on the CPU");
        }
        return DecodeOutcome.CPU;
    }

    private static String pixelFormatName(int format) {
        org.bytedeco.javacpp.BytePointer name = avutil.av_get_pix_fmt_name(format);
        return name == null || name.isNull() ? "format " + format : name.getString();
    }

    /** The stop condition ended a read: the segment stops as it would at its next frame. */
    private static void stopIfInterrupted(InputInterrupt interrupt) throws MediaException {
        if (interrupt.fired()) {
            throw new MediaException(
                    FailureCode.DEADLINE_EXCEEDED, "decoding was stopped while reading the input");
        }
    }

    /**
     * Opens the stream's decoder, on the GPU when there is one and it takes the codec, otherwise
     * (or when the GPU refuses to open it) on the CPU.
     */
    private AVCodecContext openDecoder(AVStream stream) throws MediaException {
        AVCodec codec = avcodec.avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null || codec.isNull()) {
            throw new MediaException(
                    FailureCode.DECODE_FAILED,
                    "no decoder for codec "
                            + avcodec.avcodec_get_name(stream.codecpar().codec_id()).getString());
        }
        if (hardware != null) {
            AVCodecContext context = allocateDecoder(codec, stream);
            if (hardware.attach(codec, context)) {
                int ret =
                        avcodec.avcodec_open2(
                                context, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
                if (ret >= 0) {
                    return context;
                }
                HardwareDecoder.sayOnce(
                        "cannot open the "
                                + codec.name().getString()
                                + " decoder on "
                                + hardware.label()
                                + ": "
                                + Ffmpeg.error(ret)
                                + "; decoding it on the CPU");
            }
            avcodec.avcodec_free_context(context);
        }
        AVCodecContext context = allocateDecoder(codec, stream);
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

    private AVCodecContext allocateDecoder(AVCodec codec, AVStream stream) {
        AVCodecContext context = avcodec.avcodec_alloc_context3(codec);
        avcodec.avcodec_parameters_to_context(context, stream.codecpar());
        context.pkt_timebase(stream.time_base());
        context.thread_count(decoderThreads);
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
        // Where a GPU frame is downloaded to before it is kept; null on the CPU path.
        private final AVFrame download;
        private final SceneDetector detector;
        private final Thumbnailer thumbnailer = new Thumbnailer();
        // In SCENES mode, the most frames this segment keeps (its share of frames.maxFrames).
        private final long sceneFrames;
        private long onGpu;
        private long emitted;
        // Frames of the segment seen so far: the next one's source frame number is first + seen.
        private long seen;
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
                int encodeThreads,
                AVFrame download,
                boolean detect) {
            this.task = task;
            this.download = download;
            this.timeBase = timeBase;
            this.cancelled = cancelled;
            this.halfFrameUs = task.frameDurationUs() / 2;
            this.nextSample = task.firstSampleIndex();
            this.stage = new EncodeStage(task, sink, encodeThreads);
            this.detector =
                    !detect
                            ? null
                            : new SceneDetector(
                                    task.firstFrameIndex(),
                                    task.frameDurationUs() > 0 ? 1e6 / task.frameDurationUs() : 25);
            this.sceneFrames =
                    task.frames().maxFrames() == null
                            ? SegmentPlanner.DEFAULT_SCENE_FRAMES
                            : task.frames().maxFrames();
        }

        /** Handles one decoded frame; true when the segment has everything it owns. */
        boolean onFrame(AVFrame frame) throws MediaException, IOException {
            if (cancelled.getAsBoolean()) {
                throw new MediaException(
                        FailureCode.DEADLINE_EXCEEDED, "decoding was stopped at its deadline");
            }
            boolean onDevice = download != null && HardwareDecoder.onDevice(frame);
            if (onDevice) {
                onGpu++;
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
            if (!task.lastSegment() && seen >= task.expectedFrames()) {
                // Its source number would be the next segment's: neither kept nor analysed.
                damage("more frames than the packet index announced; extra frames dropped");
                return false;
            }
            long source = task.firstFrameIndex() + seen;
            seen++;
            // A GPU frame comes down at most once, and only when the detector or the sink needs it.
            AVFrame cpu = null;
            try {
                if (detector != null) {
                    cpu = system(frame, onDevice);
                    detector.accept(rel, thumbnailer.thumbnail(cpu));
                }
                long index = keptIndex(source, rel, frame);
                if (index >= 0) {
                    write(index, rel, cpu != null ? cpu : system(frame, onDevice));
                }
            } finally {
                if (onDevice) {
                    avutil.av_frame_unref(download);
                }
            }
            return false;
        }

        private AVFrame system(AVFrame frame, boolean onDevice) throws MediaException {
            if (!onDevice) {
                return frame;
            }
            HardwareDecoder.download(frame, download);
            return download;
        }

        /** The index the frame is kept under in the job's {@code frames.mode}, or -1. */
        private long keptIndex(long source, long rel, AVFrame frame) {
            switch (task.frames().mode()) {
                case FPS -> {
                    double fps = task.frames().fps();
                    if (SegmentPlanner.sampleTimeUs(fps, nextSample) > rel + halfFrameUs) {
                        return -1;
                    }
                    long sample = nextSample;
                    while (SegmentPlanner.sampleTimeUs(fps, nextSample) <= rel + halfFrameUs) {
                        nextSample++;
                    }
                    return sample;
                }
                case KEYFRAMES -> {
                    return (frame.flags() & AV_FRAME_FLAG_KEY) != 0 ? source : -1;
                }
                case SCENES -> {
                    return detector.representative() && emitted < sceneFrames ? source : -1;
                }
                default -> {
                    return source;
                }
            }
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

        /** Keeps a frame that is already in system memory. */
        private void write(long index, long relUs, AVFrame frame)
                throws MediaException, IOException {
            stage.submit(index, relUs, frame);
            emitted++;
        }

        /** Whether frames came out of the GPU (FFmpeg falls back to software on its own). */
        boolean decodedOnGpu() {
            return onGpu > 0;
        }

        /** Whether the decoder was opened on the GPU. */
        boolean offeredGpu() {
            return download != null;
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

        /**
         * Waits for every kept frame to be written, then sums up the segment.
         *
         * @param device what decoded it: {@code cpu} or {@code cuda:1}
         */
        DecodeOutcome outcome(String device) throws MediaException, IOException {
            stage.finish();
            if (emitted == 0 && (decodeErrors > 0 || damage != null)) {
                throw new MediaException(
                        FailureCode.DECODE_FAILED, "no frame could be decoded: " + describe());
            }
            boolean damaged = decodeErrors > 0 || concealedFrames > 0 || damage != null;
            return new DecodeOutcome(
                    emitted,
                    decodeErrors,
                    damaged ? describe() : null,
                    device,
                    detector == null ? null : detector.finish(task.segmentIndex()));
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
            thumbnailer.close();
        }
    }
}
