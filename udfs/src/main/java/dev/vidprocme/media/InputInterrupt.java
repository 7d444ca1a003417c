package dev.vidprocme.media;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback on an input, so that a stop condition also ends a read that would
 * otherwise go on without producing a frame: FFmpeg asks the callback before every read from the
 * file and while it probes, and gives up with {@code AVERROR_EXIT} once it answers yes. Frame-by-
 * frame checks alone miss a demuxer that is skipping megabytes of other streams or waiting on a
 * pipe.
 *
 * <p>One native callback serves the whole process (JavaCPP callbacks are a scarce native resource
 * and must outlive every input that uses them); each input passes its own key as the callback's
 * opaque pointer, and the key finds the input's stop condition.
 */
final class InputInterrupt implements AutoCloseable {
    private static final Map<Long, InputInterrupt> OPEN = new ConcurrentHashMap<>();
    private static final Callback CALLBACK = new Callback();

    private final BooleanSupplier stop;
    private final BytePointer key = new BytePointer(1);
    private volatile boolean fired;

    private InputInterrupt(BooleanSupplier stop) {
        this.stop = stop;
    }

    /**
     * Installs the callback on a context that {@code avformat_open_input} has not opened yet, so
     * that opening and probing are covered too.
     */
    static InputInterrupt install(AVFormatContext fmt, BooleanSupplier stop) {
        InputInterrupt interrupt = new InputInterrupt(stop);
        OPEN.put(interrupt.key.address(), interrupt);
        fmt.interrupt_callback().callback(CALLBACK).opaque(interrupt.key);
        return interrupt;
    }

    /** Whether FFmpeg was told to stop, i.e. an {@code AVERROR_EXIT} came from this callback. */
    boolean fired() {
        return fired;
    }

    /** Call after the input is closed: FFmpeg will not ask again. */
    @Override
    public void close() {
        OPEN.remove(key.address(), this);
        key.close();
    }

    private boolean shouldStop() {
        if (stop.getAsBoolean()) {
            fired = true;
        }
        return fired;
    }

    /** The one native entry point; a nonzero answer makes FFmpeg abandon the read. */
    private static final class Callback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            InputInterrupt interrupt = opaque == null ? null : OPEN.get(opaque.address());
            return interrupt != null && interrupt.shouldStop() ? 1 : 0;
        }
    }
}
