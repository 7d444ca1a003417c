package dev.vidprocme.api;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP server on a bounded pool: a fixed number of worker threads and a bounded queue. When
 * both are full the server closes new connections instead of queueing without limit.
 */
final class ApiServer implements AutoCloseable {
    private static final int QUEUE_CAPACITY = 256;
    private final HttpServer server;
    private final ThreadPoolExecutor executor;

    private ApiServer(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds the port now (so the address is known) but serves nothing until {@link #start}. */
    static ApiServer bind(String host, int port, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(
                        threads,
                        threads,
                        60,
                        TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                        daemonThreads(),
                        new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        return new ApiServer(server, executor);
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    void start(HttpHandler handler) {
        server.createContext("/", handler);
        server.start();
    }

    @Override
    public void close() {
        // Gives exchanges in flight up to a second to finish, then drops them.
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "ingest-api-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
