package dev.vidprocme.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** A client of the ingest API's v1 routes: streams uploads from disk and reads job status. */
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

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest request, int expected)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
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
