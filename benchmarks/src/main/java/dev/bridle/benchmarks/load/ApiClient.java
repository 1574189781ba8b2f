package dev.bridle.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's side of the HTTP API ({@code docs/api.md}): starts runs and lists them by status
 * with an operator token, over one JDK {@link HttpClient} (HTTP/1.1, a connection per concurrent
 * request).
 */
final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final String bearer;

  ApiClient(int port, String token) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    this.base = "http://127.0.0.1:" + port + "/api/v1";
    this.bearer = "Bearer " + token;
  }

  /** What {@code POST /runs} answered: the run id on a 202, else the status and body. */
  record Submitted(int status, String runId, String body) {
    boolean accepted() {
      return status == 202 && runId != null;
    }
  }

  /** {@code POST /runs}; an {@link IOException} is left to the caller to count. */
  Submitted submit(String workflow, String task, String user)
      throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of("workflow", workflow, "task", task, "user", user));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/runs"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", bearer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    String id = null;
    if (response.statusCode() == 202) {
      id = JSON.readTree(response.body()).path("id").asText(null);
    }
    return new Submitted(response.statusCode(), id, response.body());
  }

  /** The ids {@code GET /runs?status=S&limit=1000} lists (at most 1,000, newest first). */
  List<String> idsWithStatus(String status) throws IOException, InterruptedException {
    JsonNode runs = get("/runs?status=" + status + "&limit=1000").path("runs");
    List<String> ids = new ArrayList<>(runs.size());
    runs.forEach(run -> ids.add(run.path("id").asText()));
    return ids;
  }

  /** {@code GET /runs/{id}}: the run's {@code outcome.status}. */
  String outcomeStatus(String runId) throws IOException, InterruptedException {
    return get("/runs/" + runId).path("outcome").path("status").asText("?");
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", bearer)
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
