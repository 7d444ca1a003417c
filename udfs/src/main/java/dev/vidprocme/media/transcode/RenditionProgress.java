package dev.vidprocme.media.transcode;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.DoubleConsumer;
import java.util.function.LongConsumer;

/**
 * A rendition's progress: the share of the input's time its parts have encoded, from the {@code
 * -progress} reports of each part's FFmpeg. Safe to update from every worker at once.
 */
public final class RenditionProgress {
    private final RenditionPlan plan;
    private final AtomicLongArray encodedUs;
    private final DoubleConsumer listener;

    public RenditionProgress(RenditionPlan plan) {
        this(plan, percent -> {});
    }

    /** Tells {@code listener} the new percentage after every report. */
    public RenditionProgress(RenditionPlan plan, DoubleConsumer listener) {
        this.plan = plan;
        this.encodedUs = new AtomicLongArray(plan.parts().size());
        this.listener = listener;
    }

    /** The callback for one part's encoder: microseconds of that part encoded so far. */
    public LongConsumer forPart(Part part) {
        return us -> {
            encodedUs.accumulateAndGet(part.index(), us, Math::max);
            listener.accept(percent());
        };
    }

    /** Microseconds of input encoded over all parts. */
    public long encodedUs() {
        long sum = 0;
        for (int i = 0; i < encodedUs.length(); i++) {
            sum += encodedUs.get(i);
        }
        return sum;
    }

    /** Percent (0..100) of the input's time encoded. */
    public double percent() {
        return percent(encodedUs(), plan.durationUs());
    }

    public static double percent(long encodedUs, long totalUs) {
        return totalUs <= 0 ? 100 : Math.min(100, 100.0 * encodedUs / totalUs);
    }
}
