package dev.vidprocme.analysis.caption;

import java.util.List;

/** One vision chat model at one endpoint: asks about a batch of images, blocking until answered. */
interface VisionModel {
    /**
     * @throws RuntimeException whatever the call failed with; {@link Failure#of} sorts it
     */
    ModelReply ask(String prompt, List<byte[]> jpegs);
}
