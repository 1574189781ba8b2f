package dev.bridle.cli;

import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A command that runs until stopped ({@code serve}), started in-process on a thread of its own: its
 * output can be read while it runs, and {@link #close()} stops it the way an embedding program
 * would, by interrupting it. Also a small HTTP client for the server it starts.
 */
final class RunningCommand implements AutoCloseable {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
  private final Thread thread;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningCommand(String... args) {
    CommandLine commandLine = BridleCli.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    thread =
        Thread.ofPlatform()
            .name("bridle-" + args[0])
            .start(() -> exitCode.set(commandLine.execute(args)));
  }

  static RunningCommand start(String... args) {
    return new RunningCommand(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Waits until the output matches {@code pattern}; its first group. */
  String awaitOutput(String pattern) {
    Pattern compiled = Pattern.compile(pattern);
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the command ended: " + err(), () -> !thread.isAlive())
        .until(() -> compiled.matcher(out()).find());
    Matcher matcher = compiled.matcher(out());
    matcher.find();
    return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
  }

  /** {@code method path} against {@code baseUrl}, with a Bearer token unless it is null. */
  HttpResponse<String> call(
      String baseUrl, String method, String path, String token, String jsonBody) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (jsonBody == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    return send(http, request.build());
  }

  static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Interrupts the command and waits for it to end; its exit code. */
  int stop() throws InterruptedException {
    thread.interrupt();
    thread.join(Duration.ofSeconds(30));
    if (thread.isAlive()) {
      throw new AssertionError("the command did not stop within 30 s; output: " + out());
    }
    return exitCode.get();
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }
}
