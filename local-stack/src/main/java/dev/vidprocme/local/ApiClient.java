package dev.vidprocme.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.records.JobStatus;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A client of the ingest API's v1 routes: streams uploads from disk, reads job status, the queue
 * and the dead letters, cancels jobs, and reads what jobs produced (scenes, analyses, search hits,
 * outputs).
 */
public final class ApiClient {
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
    private final String baseUrl;
    private final String token;

    public ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** Uploads {@code file} with {@code specJson} (may be null) and returns the new job's id. */
    public String submit(Path file, String specJson) throws IOException, InterruptedException {
        String boundary = "vidproc-" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        if (specJson != null) {
            head.append("--")
                    .append(boundary)
                    .append("\r\n")
                    .append("Content-Disposition: form-data; name=\"spec\"\r\n")
                    .append("Content-Type: application/json\r\n\r\n")
                    .append(specJson)
                    .append("\r\n");
        }
        head.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"")
                .append(file.getFileName().toString().replace("\"", "_"))
                .append("\"\r\n")
                .append("Content-Type: application/octet-stream\r\n\r\n");
        HttpRequest.BodyPublisher body =
                HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(
                                head.toString(), StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString(
                                "\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        HttpRequest request =
                authorized(URI.create(baseUrl + "/v1/jobs"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(body)
                        .build();
        JsonNode reply = send(request, 202);
        return reply.get("id").asText();
    }

    public JsonNode job(String id) throws IOException, InterruptedException {
        return send(authorized(URI.create(baseUrl + "/v1/jobs/" + id)).GET().build(), 200);
    }

    /**
     * Whether a job with this status has ended: COMPLETED, PARTIAL, FAILED or CANCELLED. A status
     * this client does not know is treated as still moving, so a newer server cannot end a wait
     * early.
     */
    public static boolean isTerminal(String status) {
        for (JobStatus s : JobStatus.values()) {
            if (s.name().equals(status)) {
                return s.isTerminal();
            }
        }
        return false;
    }

    /** {@code GET /v1/queue}: {@code {"bins": [{"priority", "waiting", "running"}]}}, 9 to 0. */
    public JsonNode queue() throws IOException, InterruptedException {
        return send(authorized(URI.create(baseUrl + "/v1/queue")).GET().build(), 200);
    }

    /**
     * {@code GET /v1/dlq}: the newest dead letters.
     *
     * @param jobId only this job's, or null for all
     */
    public JsonNode deadLetters(int limit, String jobId) throws IOException, InterruptedException {
        String query =
                "?limit="
                        + limit
                        + (jobId == null
                                ? ""
                                : "&jobId=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8));
        return send(authorized(URI.create(baseUrl + "/v1/dlq" + query)).GET().build(), 200);
    }

    /** {@code DELETE /v1/jobs/{id}}: cancels the job and returns it (status CANCELLED). */
    public JsonNode cancel(String id) throws IOException, InterruptedException {
        return send(
                authorized(URI.create(baseUrl + "/v1/jobs/" + pathSegment(id))).DELETE().build(),
                202);
    }

    public JsonNode frames(String id, long offset, int limit)
            throws IOException, InterruptedException {
        URI uri =
                URI.create(
                        baseUrl
                                + "/v1/jobs/"
                                + id
                                + "/frames?offset="
                                + offset
                                + "&limit="
                                + limit);
        return send(authorized(uri).GET().build(), 200);
    }

    /**
     * {@code GET /v1/jobs/{id}/scenes}: {@code {"items":
     * [{"index","startMs","endMs","kind","score"}]}}.
     */
    public JsonNode scenes(String id) throws IOException, InterruptedException {
        return get("/v1/jobs/" + pathSegment(id) + "/scenes");
    }

    /** {@code GET /v1/jobs/{id}/frames/{index}/analyses}: each analyser's result for the frame. */
    public JsonNode frameAnalyses(String id, long index) throws IOException, InterruptedException {
        return get("/v1/jobs/" + pathSegment(id) + "/frames/" + index + "/analyses");
    }

    /**
     * {@code GET /v1/search}: frames whose text or captions match, best first.
     *
     * @param semantic by meaning instead of by words
     * @param jobId only this job's frames, or null for all
     */
    public JsonNode search(String query, boolean semantic, String jobId, int limit)
            throws IOException, InterruptedException {
        String path =
                "/v1/search?q="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8)
                        + "&mode="
                        + (semantic ? "semantic" : "text")
                        + "&limit="
                        + limit
                        + (jobId == null
                                ? ""
                                : "&jobId=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8));
        return get(path);
    }

    /**
     * {@code GET /v1/jobs/{id}/outputs}: {@code {"items":
     * [{"name","kind","contentType","bytes","url"}]}}.
     */
    public JsonNode outputs(String id) throws IOException, InterruptedException {
        return get("/v1/jobs/" + pathSegment(id) + "/outputs");
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        return send(authorized(URI.create(baseUrl + pathAndQuery)).GET().build(), 200);
    }

    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest request, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException(
                    "cannot reach the ingest API at " + baseUrl + " (is the stack running?)", e);
        }
        if (response.statusCode() != expected) {
            String message = response.body();
            try {
                message =
                        Json.mapper()
                                .readTree(response.body())
                                .path("error")
                                .path("message")
                                .asText(message);
            } catch (IOException notJson) {
                // Keep the raw body as the message.
            }
            throw new IOException(
                    "HTTP "
                            + response.statusCode()
                            + " from "
                            + request.uri().getPath()
                            + ": "
                            + message);
        }
        return Json.mapper().readTree(response.body());
    }
}
