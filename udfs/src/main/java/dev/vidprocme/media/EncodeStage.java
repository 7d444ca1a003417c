package dev.vidprocme.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import dev.vidprocme.records.FailureCode;
import dev.vidprocme.records.SegmentTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * The second half of decoding a segment, on its own thread: it turns each kept frame upright,
 * encodes it as JPEG and hands it to the {@link FrameSink} while the decode thread goes on
 * decoding. This is the split the ffmpeg command line makes between its decoder and encoder
 * threads; without it one segment keeps little more than one core busy. A small bounded queue of
 * frame references keeps memory flat.
 */
final class EncodeStage implements AutoCloseable {
    private static final int QUEUED_FRAMES = 4;
    private static final long POLL_MS = 100;

    private record Item(long seq, long index, long relUs, AVFrame frame) {}

    /** An encoded frame waiting for the ones submitted before it. */
    private record Encoded(long index, long relUs, int width, int height, byte[] jpeg) {}

    private static final Item END = new Item(-1, -1, 0, null);

    private final SegmentTask task;
    private final FrameSink sink;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUED_FRAMES);
    private final Object sinkLock = new Object();
    // Guarded by sinkLock: frames reach the sink in the order they were submitted.
    private final java.util.Map<Long, Encoded> reorder = new java.util.HashMap<>();
    private long nextToSink;
    private long submitted;
    private final List<Worker> workers = new ArrayList<>();
    private volatile Throwable failure;

    EncodeStage(SegmentTask task, FrameSink sink, int workerCount) {
        this.task = task;
        this.sink = sink;
        for (int i = 0; i < Math.max(1, workerCount); i++) {
            Worker worker = new Worker();
            worker.thread =
                    new Thread(
                            worker, "encode-" + task.jobId() + "-" + task.segmentIndex() + "-" + i);
            worker.thread.setDaemon(true);
            workers.add(worker);
            worker.thread.start();
        }
    }

    /**
     * Queues frame {@code index} for encoding; the stage takes its own reference to the picture.
     */
    void submit(long index, long relUs, AVFrame frame) throws MediaException, IOException {
        rethrowFailure();
        AVFrame reference = avutil.av_frame_clone(frame);
        if (reference == null || reference.isNull()) {
            throw new MediaException(FailureCode.INTERNAL, "out of memory holding a decoded frame");
        }
        try {
            put(new Item(submitted, index, relUs, reference));
            submitted++;
        } catch (MediaException | IOException | RuntimeException e) {
            avutil.av_frame_free(reference);
            throw e;
        }
    }

    /** Waits until every queued frame has reached the sink, and rethrows what went wrong there. */
    void finish() throws MediaException, IOException {
        for (int i = 0; i < workers.size(); i++) {
            put(END);
        }
        try {
            for (Worker worker : workers) {
                worker.thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
        rethrowFailure();
    }

    private void put(Item item) throws MediaException, IOException {
        try {
            while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    /** One encoding thread with its own filter graph and encoder. */
    private final class Worker implements Runnable {
        private Thread thread;
        // Used by this worker's thread only; closed after it has ended.
        private FrameFilter filter;
        private JpegEncoder encoder;

        @Override
        public void run() {
            try {
                while (true) {
                    Item item = queue.take();
                    if (item == END) {
                        return;
                    }
                    try {
                        encode(item);
                    } finally {
                        avutil.av_frame_free(item.frame());
                    }
                }
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
                freeQueued();
            }
        }

        private void encode(Item item) throws MediaException, IOException {
            AVFrame frame = item.frame();
            if (filter == null || !filter.accepts(frame)) {
                if (filter != null) {
                    filter.close();
                }
                filter = new FrameFilter(frame, task.rotation(), task.frames().maxWidth());
            }
            AVFrame upright = filter.apply(frame);
            if (encoder == null || !encoder.accepts(upright)) {
                if (encoder != null) {
                    encoder.close();
                }
                encoder =
                        new JpegEncoder(
                                upright.width(),
                                upright.height(),
                                AV_PIX_FMT_YUVJ420P,
                                task.frames().qscale());
            }
            byte[] jpeg = encoder.encode(upright);
            synchronized (sinkLock) {
                reorder.put(
                        item.seq(),
                        new Encoded(
                                item.index(),
                                item.relUs(),
                                upright.width(),
                                upright.height(),
                                jpeg));
                Encoded next;
                while ((next = reorder.remove(nextToSink)) != null) {
                    sink.accept(
                            next.index(), next.relUs(), next.width(), next.height(), next.jpeg());
                    nextToSink++;
                }
            }
        }

        void close() {
            if (filter != null) {
                filter.close();
            }
            if (encoder != null) {
                encoder.close();
            }
        }
    }

    private void rethrowFailure() throws MediaException, IOException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof MediaException e) {
            throw e;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof InterruptedException) {
            throw interrupted();
        }
        throw new IOException("encoding frames failed", t);
    }

    private static MediaException interrupted() {
        return new MediaException(FailureCode.DEADLINE_EXCEEDED, "decoding was interrupted");
    }

    private void freeQueued() {
        Item item;
        while ((item = queue.poll()) != null) {
            if (item != END) {
                avutil.av_frame_free(item.frame());
            }
        }
    }

    /** Stops workers that still run, frees queued frames, then each worker's filter and encoder. */
    @Override
    public void close() {
        boolean interrupted = false;
        for (Worker worker : workers) {
            worker.thread.interrupt();
        }
        for (Worker worker : workers) {
            while (worker.thread.isAlive()) {
                try {
                    worker.thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        freeQueued();
        workers.forEach(Worker::close);
    }
}
