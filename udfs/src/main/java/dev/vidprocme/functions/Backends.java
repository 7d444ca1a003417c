package dev.vidprocme.functions;

import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobStores;
import dev.vidprocme.media.FrameDecoder;
import dev.vidprocme.media.SegmentDecoder;
import dev.vidprocme.media.transcode.OutputVerifier;
import dev.vidprocme.media.transcode.VerificationException;
import dev.vidprocme.notify.WebhookFunction;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * What the stages reach outside the JVM's own code: the blob store and the video decoder.
 * Production opens the store named by its URI and decodes with FFmpeg; chaos tests wrap either one
 * with faults (a store whose writes fail, a decoder that hangs) and run the real pipeline around
 * them.
 */
public interface Backends extends Serializable {

    BlobStore blobStore(String uri) throws IOException;

    /**
     * @param gpuIndex the GPU this subtask leased, or null to decode on the CPU
     */
    FrameDecoder decoder(StageSettings settings, Integer gpuIndex);

    /**
     * Checks a written rendition before the job may complete ({@link OutputVerifier}); a seam so
     * chaos tests can fail it for one job.
     */
    default void verifyOutput(String jobId, Path output, OutputVerifier.Expectation expected)
            throws VerificationException {
        OutputVerifier.verify(output, expected);
    }

    /** Where the webhook signing secret comes from: the task manager's environment. */
    default WebhookFunction.SecretSource webhookSecret() {
        return WebhookFunction.SecretSource.fromEnv();
    }

    static Backends production() {
        return Production.INSTANCE;
    }

    /** The real thing. */
    enum Production implements Backends {
        INSTANCE;

        @Override
        public BlobStore blobStore(String uri) throws IOException {
            return BlobStores.open(uri);
        }

        @Override
        public FrameDecoder decoder(StageSettings settings, Integer gpuIndex) {
            return new SegmentDecoder(
                    settings.decoderThreads(),
                    settings.encodeThreads(),
                    settings.gpu().hwaccel(),
                    gpuIndex);
        }
    }
}
