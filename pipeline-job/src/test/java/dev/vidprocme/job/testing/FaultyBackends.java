package dev.vidprocme.job.testing;

import dev.vidprocme.functions.Backends;
import dev.vidprocme.functions.StageSettings;
import dev.vidprocme.io.blob.BlobStore;
import dev.vidprocme.media.FrameDecoder;
import dev.vidprocme.media.MediaException;
import dev.vidprocme.media.transcode.OutputVerifier;
import dev.vidprocme.media.transcode.VerificationException;
import dev.vidprocme.notify.WebhookFunction;
import dev.vidprocme.records.FailureCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production backends with the {@link Faults} armed for a job injected in front of them: the
 * real blob store and the real FFmpeg decoder do everything else.
 */
public final class FaultyBackends implements Backends {
    private static final Pattern FRAME_KEY = Pattern.compile("frames/([^/]+)/(\\d+)\\.jpg");
    private static final Pattern PART_KEY = Pattern.compile("work/([^/]+)/.+/part-\\d+\\.mp4");

    /** The webhook signing secret of tests; a receiver checks signatures with it. */
    public static final String WEBHOOK_SECRET = "test-secret-0123456789abcdef";

    @Override
    public void verifyOutput(String jobId, Path output, OutputVerifier.Expectation expected)
            throws VerificationException {
        if (Faults.verificationFails(jobId)) {
            throw new VerificationException(
                    "injected: output " + output.getFileName() + " fails verification");
        }
        Backends.super.verifyOutput(jobId, output, expected);
    }

    @Override
    public WebhookFunction.SecretSource webhookSecret() {
        return () -> WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public BlobStore blobStore(String uri) throws IOException {
        return new FaultyBlobStore(Backends.production().blobStore(uri));
    }

    @Override
    public FrameDecoder decoder(StageSettings settings, Integer gpuIndex) {
        FrameDecoder real = Backends.production().decoder(settings, gpuIndex);
        return (input, task, sink, stop) -> {
            Faults.DecodeFault fault = Faults.decodeFault(task.jobId());
            if (fault == Faults.DecodeFault.CRASH) {
                throw new IllegalStateException("injected decoder crash");
            }
            if (fault == Faults.DecodeFault.HANG) {
                try {
                    Faults.hang();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MediaException(
                            FailureCode.DEADLINE_EXCEEDED, "decoding was interrupted");
                }
            }
            return real.decode(input, task, sink, stop);
        };
    }

    /** Fails frame writes as {@link Faults#failBlobWrites} says; delegates everything else. */
    private static final class FaultyBlobStore implements BlobStore {
        private final BlobStore real;

        FaultyBlobStore(BlobStore real) {
            this.real = real;
        }

        @Override
        public void put(String key, byte[] data) throws IOException {
            Matcher frame = FRAME_KEY.matcher(key);
            if (frame.matches()) {
                String jobId = frame.group(1);
                long index = Long.parseLong(frame.group(2));
                try {
                    Faults.awaitGate(jobId, index);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted at a test gate");
                }
                if (Faults.failBlobWrite(jobId, index)) {
                    throw new IOException("injected: the blob store refused " + key);
                }
            }
            real.put(key, data);
        }

        @Override
        public long put(String key, InputStream in, long maxBytes) throws IOException {
            Matcher part = PART_KEY.matcher(key);
            if (part.matches()) {
                try {
                    Faults.awaitPartGate(part.group(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted at a test gate");
                }
            }
            return real.put(key, in, maxBytes);
        }

        @Override
        public InputStream open(String key) throws IOException {
            return real.open(key);
        }

        @Override
        public boolean exists(String key) throws IOException {
            return real.exists(key);
        }

        @Override
        public long size(String key) throws IOException {
            return real.size(key);
        }

        @Override
        public void delete(String key) throws IOException {
            real.delete(key);
        }

        @Override
        public Optional<Path> localPath(String key) {
            return real.localPath(key);
        }

        @Override
        public String describe(String key) {
            return real.describe(key);
        }

        @Override
        public void close() throws IOException {
            real.close();
        }
    }
}
