package dev.vidprocme.job.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults that {@link FaultyBackends} inject, per job. The rules live in this JVM (the MiniCluster's
 * task managers run in it), so a test arms them before it submits the job and the operators,
 * serialised and restored any number of times, still see them.
 */
public final class Faults {
    private static final Map<String, BlobFault> BLOB = new ConcurrentHashMap<>();
    private static final Map<String, DecodeFault> DECODE = new ConcurrentHashMap<>();
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();
    private static final CountDownLatch NEVER = new CountDownLatch(1);
    private static final Map<String, Boolean> BAD_VERIFICATION = new ConcurrentHashMap<>();
    private static final Map<String, PartGate> PART_GATES = new ConcurrentHashMap<>();

    private Faults() {}

    /**
     * The next {@code times} writes of this job's frames with index {@code fromFrame} or more fail
     * with an {@link java.io.IOException}; {@link Integer#MAX_VALUE} fails them all.
     */
    public static void failBlobWrites(String jobId, long fromFrame, int times) {
        BLOB.put(jobId, new BlobFault(fromFrame, new AtomicInteger(times)));
    }

    /**
     * Writes of this job's frames with index {@code fromFrame} or more wait until {@link #openGate}
     * (or an interrupt), so a test can act while the job is provably mid-way.
     */
    public static void gateBlobWrites(String jobId, long fromFrame) {
        GATES.put(jobId, new Gate(fromFrame, new CountDownLatch(1)));
    }

    public static void openGate(String jobId) {
        Gate gate = GATES.get(jobId);
        if (gate != null) {
            gate.open().countDown();
        }
    }

    static void awaitGate(String jobId, long frameIndex) throws InterruptedException {
        Gate gate = GATES.get(jobId);
        if (gate != null && frameIndex >= gate.fromFrame()) {
            gate.open().await();
        }
    }

    /** Every decode of this job blocks until its worker is interrupted. */
    public static void hangDecode(String jobId) {
        DECODE.put(jobId, DecodeFault.HANG);
    }

    /** Every decode of this job throws an unexpected exception, like a decoder bug would. */
    public static void crashDecode(String jobId) {
        DECODE.put(jobId, DecodeFault.CRASH);
    }

    /** How many injected blob write failures this job still has to go. */
    public static int blobFailuresLeft(String jobId) {
        BlobFault fault = BLOB.get(jobId);
        return fault == null ? 0 : Math.max(0, fault.remaining().get());
    }

    static boolean failBlobWrite(String jobId, long frameIndex) {
        BlobFault fault = BLOB.get(jobId);
        if (fault == null || frameIndex < fault.fromFrame()) {
            return false;
        }
        return fault.remaining().getAndUpdate(n -> n == Integer.MAX_VALUE ? n : n - 1) > 0;
    }

    static DecodeFault decodeFault(String jobId) {
        return DECODE.get(jobId);
    }

    /** Blocks until interrupted, as a decoder stuck in a read would. */
    static void hang() throws InterruptedException {
        NEVER.await();
    }

    /** Every written rendition of this job fails verification, as a truncated output would. */
    public static void failVerification(String jobId) {
        BAD_VERIFICATION.put(jobId, Boolean.TRUE);
    }

    static boolean verificationFails(String jobId) {
        return BAD_VERIFICATION.containsKey(jobId);
    }

    /**
     * Stores of this job's encoded parts wait until {@link #openPartGate} (or an interrupt), each
     * counting down {@link #partsAtGate} first: a test then knows parts are provably mid-work.
     */
    public static CountDownLatch gatePartWrites(String jobId, int arrivals) {
        PartGate gate = new PartGate(new CountDownLatch(arrivals), new CountDownLatch(1));
        PART_GATES.put(jobId, gate);
        return gate.arrived();
    }

    public static void openPartGate(String jobId) {
        PartGate gate = PART_GATES.get(jobId);
        if (gate != null) {
            gate.open().countDown();
        }
    }

    static void awaitPartGate(String jobId) throws InterruptedException {
        PartGate gate = PART_GATES.get(jobId);
        if (gate != null) {
            gate.arrived().countDown();
            gate.open().await();
        }
    }

    private record PartGate(CountDownLatch arrived, CountDownLatch open) {}

    enum DecodeFault {
        HANG,
        CRASH
    }

    private record BlobFault(long fromFrame, AtomicInteger remaining) {}

    private record Gate(long fromFrame, CountDownLatch open) {}
}
