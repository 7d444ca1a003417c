package dev.vidprocme.api;

import dev.vidprocme.records.JobRequest;

/** Hands accepted jobs to the pipeline; returns only once the hand-over is durable. */
public interface JobQueue extends AutoCloseable {

    /** Blocks until the request is acknowledged, or throws saying why it is not. */
    void enqueue(JobRequest request) throws EnqueueException;

    @Override
    void close();

    /** The request was not (provably) accepted by the queue. */
    final class EnqueueException extends Exception {
        private static final long serialVersionUID = 1L;

        public EnqueueException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
