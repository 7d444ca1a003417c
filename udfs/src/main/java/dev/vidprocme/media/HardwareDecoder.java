package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX;
import static org.bytedeco.ffmpeg.global.avutil.AV_HWDEVICE_TYPE_CUDA;
import static org.bytedeco.ffmpeg.global.avutil.AV_HWDEVICE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_CUDA;

import dev.vidprocme.records.FailureCode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecHWConfig;
import org.bytedeco.ffmpeg.avutil.AVBufferRef;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoding on one CUDA device through FFmpeg's NVDEC hwaccel: the device goes on the codec context
 * ({@code hw_device_ctx}), FFmpeg's default {@code get_format} then picks the CUDA pixel format,
 * and each decoded picture is copied back to system memory ({@code av_hwframe_transfer_data}) for
 * the CPU filter graph and JPEG encoder.
 *
 * <p>Whatever cannot run on the GPU runs on the CPU instead, and the reason is logged once per
 * process: a build without CUDA, a device that cannot be opened, a codec NVDEC does not decode. A
 * CUDA device is opened once per process and index and kept for the life of the process, as the
 * CUDA driver keeps its own per-process state; opening one costs a CUDA context (hundreds of
 * milliseconds, hundreds of megabytes of GPU memory), which no segment or restarted operator should
 * pay again.
 */
final class HardwareDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(HardwareDecoder.class);

    /** Reasons already logged: each is said once per process. */
    private static final Set<String> SAID = ConcurrentHashMap.newKeySet();

    /** CUDA devices by index ("" for CUDA's default device): opened, or why they could not be. */
    private static final Map<String, Device> DEVICES = new ConcurrentHashMap<>();

    private record Device(AVBufferRef context, String failure) {}

    private final AVBufferRef device;
    private final String label;

    private HardwareDecoder(AVBufferRef device, String label) {
        this.device = device;
        this.label = label;
    }

    /**
     * The hardware decoder a decode subtask uses, or null to decode on the CPU.
     *
     * @param gpuIndex the CUDA device Flink assigned to the subtask, or null
     * @throws IllegalStateException when {@link HwAccel#CUDA} insists and no device opens
     */
    static HardwareDecoder select(HwAccel mode, Integer gpuIndex) {
        if (mode == HwAccel.NONE || (mode == HwAccel.AUTO && gpuIndex == null)) {
            return null;
        }
        String key = gpuIndex == null ? "" : gpuIndex.toString();
        Device device = DEVICES.computeIfAbsent(key, HardwareDecoder::open);
        String label = gpuIndex == null ? "cuda" : "cuda:" + gpuIndex;
        if (device.failure() != null) {
            if (mode == HwAccel.CUDA) {
                throw new IllegalStateException(
                        "vidproc.gpu.hwaccel=cuda but "
                                + device.failure()
                                + "; use auto to fall back to the CPU");
            }
            sayOnce(device.failure() + "; decoding on the CPU");
            return null;
        }
        return new HardwareDecoder(device.context(), label);
    }

    /** What a decode on this device is recorded as: {@code cuda:1}. */
    String label() {
        return label;
    }

    /**
     * Puts the device on a codec context that is not open yet, when FFmpeg can decode the codec on
     * CUDA; otherwise leaves the context to decode on the CPU and says why once.
     */
    boolean attach(AVCodec codec, AVCodecContext context) {
        if (!decodesOnCuda(codec)) {
            sayOnce(
                    "FFmpeg has no CUDA decoder for "
                            + codec.name().getString()
                            + "; decoding it on the CPU");
            return false;
        }
        context.hw_device_ctx(avutil.av_buffer_ref(device));
        return true;
    }

    /** Whether a decoded frame lies in GPU memory and must be downloaded first. */
    static boolean onDevice(AVFrame frame) {
        return frame.format() == AV_PIX_FMT_CUDA;
    }

    /** Copies a GPU frame, timestamps and flags included, into {@code system}, which is unref'd. */
    static void download(AVFrame gpu, AVFrame system) throws MediaException {
        avutil.av_frame_unref(system);
        int ret = avutil.av_hwframe_transfer_data(system, gpu, 0);
        if (ret >= 0) {
            ret = avutil.av_frame_copy_props(system, gpu);
        }
        if (ret < 0) {
            throw new MediaException(
                    FailureCode.DECODE_FAILED,
                    "cannot copy a decoded frame from the GPU: " + Ffmpeg.error(ret));
        }
    }

    /** Says {@code reason} in the log unless this process said it before. */
    static void sayOnce(String reason) {
        if (SAID.add(reason)) {
            LOG.warn("GPU decoding unavailable: {}", reason);
        }
    }

    private static boolean decodesOnCuda(AVCodec codec) {
        for (int i = 0; ; i++) {
            AVCodecHWConfig config = avcodec.avcodec_get_hw_config(codec, i);
            if (config == null || config.isNull()) {
                return false;
            }
            if ((config.methods() & AV_CODEC_HW_CONFIG_METHOD_HW_DEVICE_CTX) != 0
                    && config.device_type() == AV_HWDEVICE_TYPE_CUDA) {
                return true;
            }
        }
    }

    private static Device open(String index) {
        Ffmpeg.init();
        if (!buildHasCuda()) {
            return new Device(null, "this FFmpeg build has no CUDA support");
        }
        AVBufferRef context = new AVBufferRef(null);
        int ret =
                avutil.av_hwdevice_ctx_create(
                        context, AV_HWDEVICE_TYPE_CUDA, index.isEmpty() ? null : index, null, 0);
        if (ret < 0) {
            return new Device(
                    null,
                    "cannot open CUDA device "
                            + (index.isEmpty() ? "(default)" : index)
                            + ": "
                            + Ffmpeg.error(ret)
                            + " (is the NVIDIA driver, libcuda.so.1, installed and the device"
                            + " visible?)");
        }
        LOG.info("decoding on CUDA device {}", index.isEmpty() ? "(default)" : index);
        return new Device(context, null);
    }

    private static boolean buildHasCuda() {
        int type = AV_HWDEVICE_TYPE_NONE;
        while ((type = avutil.av_hwdevice_iterate_types(type)) != AV_HWDEVICE_TYPE_NONE) {
            if (type == AV_HWDEVICE_TYPE_CUDA) {
                return true;
            }
        }
        return false;
    }
}
