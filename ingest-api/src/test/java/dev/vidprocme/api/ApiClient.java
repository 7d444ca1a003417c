package dev.vidprocme.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vidprocme.spec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A thin java.net.http client for the API under test. */
final class ApiClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();

    private final String baseUrl;
    private final String token;

    ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** The same server without credentials. */
    ApiClient anonymous() {
        return new ApiClient(baseUrl, null);
    }

    ApiClient withToken(String other) {
        return new ApiClient(baseUrl, other);
    }

    HttpResponse<byte[]> get(String pathOrUrl) throws IOException, InterruptedException {
        return send(request(pathOrUrl).GET());
    }

    HttpResponse<byte[]> postJson(String path, String json)
            throws IOException, InterruptedException {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<byte[]> postMultipart(String path, MultipartBody body, boolean chunked)
            throws IOException, InterruptedException {
        return send(
                request(path)
                        .header("Content-Type", body.contentType())
                        .POST(chunked ? body.chunkedPublisher() : body.fixedLengthPublisher()));
    }

    HttpResponse<byte[]> send(
            String method, String path, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    /** Sends a request the test built itself, headers (and the token, if wanted) included. */
    HttpResponse<byte[]> exchange(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return send(request);
    }

    static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }

    private HttpRequest.Builder request(String pathOrUrl) {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b)
            throws IOException, InterruptedException {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
