package dev.vidprocme.functions;

import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.io.blob.BlobStores;
import dev.vidprocme.media.FrameDecoder;
import dev.vidprocme.media.SegmentDecoder;
import java.io.IOException;
import java.io.Serializable;

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
