package dev.vidprocme.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local vision-LLM endpoint for tests and benchmarks: speaks OpenAI {@code POST
 * /v1/chat/completions} and Ollama {@code POST /api/chat}, answers each image with a caption
 * derived from its bytes, logs every request with its arrival time and can be scripted to fail.
 */
public final class FakeVisionLlm implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final List<Received> log = new ArrayList<>();
    private final Deque<Fault> script = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Fault everyRequest;
    private volatile Duration latency = Duration.ZERO;
    private volatile int promptTokensBase = 20;
    private volatile int promptTokensPerImage = 100;
    private volatile int completionTokensPerImage = 30;

    private FakeVisionLlm(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Starts on a random loopback port. */
    public static FakeVisionLlm start() {
        // The JDK server writes headers and body apart; with Nagle's algorithm on, the client's
        // delayed ACK stalls each reply by up to 40 ms, which a latency benchmark would measure.
        // Read once, when the JVM's first HttpServer starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            // One thread per request in flight, so a slow or sleeping reply never holds up others.
            ExecutorService workers =
                    Executors.newCachedThreadPool(
                            r -> {
                                Thread t = new Thread(r, "fake-vision-llm");
                                t.setDaemon(true);
                                return t;
                            });
            FakeVisionLlm fake = new FakeVisionLlm(server, workers);
            server.createContext("/v1/chat/completions", e -> fake.handle(e, Protocol.OPENAI));
            server.createContext("/api/chat", e -> fake.handle(e, Protocol.OLLAMA));
            server.setExecutor(workers);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake vision LLM: " + e, e);
        }
    }

    /** The base URL an OpenAI client is given, ending in {@code /v1}. */
    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The base URL an Ollama client is given. */
    public String ollamaBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * How long every answered request takes from its arrival to its reply (faults keep their own
     * timing).
     */
    public FakeVisionLlm latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /**
     * The usage reported per request: prompt tokens = {@code base + perImage × images}, completion
     * tokens = {@code completionPerImage × images}.
     */
    public FakeVisionLlm usage(int base, int perImage, int completionPerImage) {
        this.promptTokensBase = base;
        this.promptTokensPerImage = perImage;
        this.completionTokensPerImage = completionPerImage;
        return this;
    }

    /** Queues faults: each applies to one request, in arrival order, before normal replies. */
    public synchronized FakeVisionLlm enqueue(Fault... faults) {
        script.addAll(List.of(faults));
        return this;
    }

    /** Every request gets {@code fault} until {@link #healthy()}; null clears it. */
    public FakeVisionLlm failEveryRequest(Fault fault) {
        this.everyRequest = fault;
        return this;
    }

    /** Clears scripted and permanent faults. */
    public synchronized FakeVisionLlm healthy() {
        script.clear();
        everyRequest = null;
        return this;
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Received> requests() {
        return List.copyOf(log);
    }

    public synchronized int requestCount() {
        return log.size();
    }

    /** The most requests that were being handled at the same moment. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /**
     * The most requests whose arrivals fall within any interval of length {@code window}: what a
     * server-side rate limiter would have counted.
     */
    public int maxRequestsInAnyWindow(Duration window) {
        List<Long> arrivals = requests().stream().map(Received::arrivalNanos).sorted().toList();
        int best = 0;
        int first = 0;
        for (int last = 0; last < arrivals.size(); last++) {
            while (arrivals.get(last) - arrivals.get(first) >= window.toNanos()) {
                first++;
            }
            best = Math.max(best, last - first + 1);
        }
        return best;
    }

    /**
     * The most tokens (prompt + completion, as reported) of requests whose arrivals fall within any
     * interval of length {@code window}.
     */
    public long maxTokensInAnyWindow(Duration window) {
        List<Received> sorted =
                requests().stream()
                        .sorted((a, b) -> Long.compare(a.arrivalNanos(), b.arrivalNanos()))
                        .toList();
        long best = 0;
        long sum = 0;
        int first = 0;
        for (int last = 0; last < sorted.size(); last++) {
            sum += sorted.get(last).reportedTokens();
            while (sorted.get(last).arrivalNanos() - sorted.get(first).arrivalNanos()
                    >= window.toNanos()) {
                sum -= sorted.get(first).reportedTokens();
                first++;
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    /**
     * The caption the fake gives an image: tests use it to check which reply went to which frame.
     */
    public static String captionFor(byte[] image) {
        return "frame " + hash(image).substring(0, 12);
    }

    public static List<String> tagsFor(byte[] image) {
        String h = hash(image);
        return List.of("tag-" + h.substring(0, 2), "tag-" + h.substring(2, 4));
    }

    public static List<String> objectsFor(byte[] image) {
        return List.of("object-" + hash(image).substring(4, 6));
    }

    public static String textFor(byte[] image) {
        return "TEXT " + hash(image).substring(6, 10).toUpperCase();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow(); // wakes replies still sleeping past a client's timeout
    }

    private void handle(HttpExchange exchange, Protocol protocol) throws IOException {
        long arrival = System.nanoTime();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            JsonNode request;
            try {
                request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                record(exchange, protocol, arrival, null, List.of(), "", 400, 0);
                send(exchange, 400, null, "{\"error\":{\"message\":\"body is not JSON\"}}");
                return;
            }
            List<byte[]> images = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            readMessages(request, protocol, images, text);
            Fault fault = nextFault();
            int promptTokens = promptTokensBase + promptTokensPerImage * images.size();
            int completionTokens = completionTokensPerImage * images.size();
            Fault.Kind kind = fault == null ? null : fault.kind();
            if (kind == Fault.Kind.DROP) {
                record(exchange, protocol, arrival, request, images, text.toString(), 0, 0);
                // Closing before the headers are sent makes the JDK server drop the connection.
                exchange.close();
                return;
            }
            if (kind == Fault.Kind.STATUS) {
                record(
                        exchange,
                        protocol,
                        arrival,
                        request,
                        images,
                        text.toString(),
                        fault.status(),
                        0);
                String retryAfter =
                        fault.retryAfter() == null
                                ? null
                                : String.valueOf(fault.retryAfter().toSeconds());
                send(
                        exchange,
                        fault.status(),
                        retryAfter,
                        "{\"error\":{\"message\":\"scripted status "
                                + fault.status()
                                + "\",\"type\":\"fake\"}}");
                return;
            }
            record(
                    exchange,
                    protocol,
                    arrival,
                    request,
                    images,
                    text.toString(),
                    200,
                    kind == Fault.Kind.BAD_BODY ? 0 : promptTokens + completionTokens);
            // The latency is the server's response time, from arrival: reading the request is
            // part of it, as it is for a real endpoint.
            Duration wait = kind == Fault.Kind.SLOW ? fault.delay() : latency;
            long remaining = arrival + wait.toNanos() - System.nanoTime();
            if (remaining > 0) {
                Thread.sleep(remaining / 1_000_000, (int) (remaining % 1_000_000));
            }
            if (kind == Fault.Kind.BAD_BODY) {
                send(exchange, 200, null, "<html>502 upstream hiccup</html>");
                return;
            }
            String content = content(images, kind);
            String model = request.path("model").asText("fake");
            send(
                    exchange,
                    200,
                    null,
                    protocol == Protocol.OPENAI
                            ? openAiReply(model, content, promptTokens, completionTokens)
                            : ollamaReply(model, content, promptTokens, completionTokens));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } catch (IOException e) {
            // The client gave up (its timeout) before the reply: nothing left to tell it.
            exchange.close();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private synchronized Fault nextFault() {
        Fault scripted = script.poll();
        return scripted != null ? scripted : everyRequest;
    }

    private synchronized void record(
            HttpExchange exchange,
            Protocol protocol,
            long arrival,
            JsonNode request,
            List<byte[]> images,
            String text,
            int status,
            long tokens) {
        log.add(
                new Received(
                        protocol,
                        arrival,
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        request == null ? null : request.path("model").asText(null),
                        List.copyOf(images),
                        text,
                        status,
                        tokens));
    }

    private static void readMessages(
            JsonNode request, Protocol protocol, List<byte[]> images, StringBuilder text) {
        for (JsonNode message : request.path("messages")) {
            JsonNode content = message.path("content");
            if (protocol == Protocol.OLLAMA) {
                text.append(content.asText(""));
                for (JsonNode image : message.path("images")) {
                    images.add(Base64.getDecoder().decode(image.asText()));
                }
            } else if (content.isTextual()) {
                text.append(content.asText());
            } else {
                for (JsonNode part : content) {
                    if ("text".equals(part.path("type").asText())) {
                        text.append(part.path("text").asText());
                    } else if ("image_url".equals(part.path("type").asText())) {
                        String url = part.path("image_url").path("url").asText();
                        images.add(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)));
                    }
                }
            }
        }
    }

    private static String content(List<byte[]> images, Fault.Kind kind) {
        if (kind == Fault.Kind.GARBAGE) {
            return "Sure! Here are your captions: [{caption: frame one";
        }
        ArrayNode array = JSON.createArrayNode();
        for (byte[] image : images) {
            ObjectNode item = array.addObject();
            item.put("caption", captionFor(image));
            tagsFor(image).forEach(item.putArray("tags")::add);
            objectsFor(image).forEach(item.putArray("objects")::add);
            item.put("text", textFor(image));
        }
        if (kind == Fault.Kind.WRONG_LENGTH) {
            if (array.size() > 1) {
                array.remove(array.size() - 1);
            } else {
                array.add(array.get(0).deepCopy());
            }
        }
        return array.toString();
    }

    private static String openAiReply(String model, String content, int prompt, int completion) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("id", "chatcmpl-fake");
        reply.put("object", "chat.completion");
        reply.put("created", Instant.now().getEpochSecond());
        reply.put("model", model);
        ObjectNode choice = reply.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        choice.put("finish_reason", "stop");
        ObjectNode usage = reply.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return reply.toString();
    }

    private static String ollamaReply(String model, String content, int prompt, int completion) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("model", model);
        reply.put("created_at", Instant.now().toString());
        ObjectNode message = reply.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        reply.put("done", true);
        reply.put("done_reason", "stop");
        reply.put("prompt_eval_count", prompt);
        reply.put("eval_count", completion);
        return reply.toString();
    }

    private static void send(HttpExchange exchange, int status, String retryAfter, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Which wire protocol a request came in on. */
    public enum Protocol {
        OPENAI,
        OLLAMA
    }

    /**
     * One request as the fake saw it.
     *
     * @param arrivalNanos {@link System#nanoTime()} when the handler started
     * @param authorization the {@code Authorization} header; null when there was none
     * @param status the HTTP status answered; 0 for a dropped connection
     * @param reportedTokens prompt + completion tokens the reply reports; 0 when it reports none
     */
    public record Received(
            Protocol protocol,
            long arrivalNanos,
            String authorization,
            String model,
            List<byte[]> images,
            String text,
            int status,
            long reportedTokens) {}

    /** A scripted misbehaviour for one request (or all, with {@link #failEveryRequest}). */
    public record Fault(Kind kind, int status, Duration retryAfter, Duration delay) {
        /** What goes wrong. */
        public enum Kind {
            STATUS,
            SLOW,
            GARBAGE,
            WRONG_LENGTH,
            BAD_BODY,
            DROP
        }

        /** 429 Too Many Requests with {@code Retry-After} in whole seconds. */
        public static Fault tooManyRequests(Duration retryAfter) {
            return new Fault(Kind.STATUS, 429, retryAfter, null);
        }

        public static Fault status(int status) {
            return new Fault(Kind.STATUS, status, null, null);
        }

        public static Fault serverError() {
            return status(500);
        }

        /** Answers correctly, but only after {@code delay} (past the client's timeout). */
        public static Fault slow(Duration delay) {
            return new Fault(Kind.SLOW, 200, null, delay);
        }

        /** A well-formed chat reply whose content is not valid JSON. */
        public static Fault garbage() {
            return new Fault(Kind.GARBAGE, 200, null, null);
        }

        /** A well-formed JSON array with one item too few (or too many for a single image). */
        public static Fault wrongLength() {
            return new Fault(Kind.WRONG_LENGTH, 200, null, null);
        }

        /** A 200 whose body is not the protocol's JSON at all. */
        public static Fault badBody() {
            return new Fault(Kind.BAD_BODY, 200, null, null);
        }

        /** Closes the connection without any response. */
        public static Fault drop() {
            return new Fault(Kind.DROP, 0, null, null);
        }
    }
}
