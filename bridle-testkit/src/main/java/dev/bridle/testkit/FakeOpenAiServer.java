package dev.bridle.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A fake of the OpenAI chat completions API on the JDK HTTP server, one virtual thread per request.
 * Point a real OpenAI client at {@link #baseUrl()}.
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: non-streaming completions in the OpenAI wire format; the
 *       {@link Responder} picks the answer, the header {@code x-fake-steps: N} replaces it with
 *       {@link Responders#noopSteps(int) noopSteps(N)} for that request, and {@code "stream": true}
 *       is refused with a 400.
 *   <li>{@code GET /v1/models}: one model, {@code fake-model}.
 *   <li>{@code GET /stats}: counters as JSON.
 * </ul>
 *
 * <p>Every completion request waits {@link Builder#latency(Duration) latency} first, then is served
 * the next queued {@link Fault}, else the {@link #faultEveryRequest(Fault) standing fault}, else
 * the responder's answer.
 *
 * <pre>{@code
 * try (var server = FakeOpenAiServer.builder().responder(Responders.noopSteps(3)).build().start()) {
 *   String baseUrl = server.baseUrl(); // http://127.0.0.1:PORT/v1
 * }
 * }</pre>
 *
 * <p>Loading this class sets the JDK server's {@code sun.net.httpserver.maxIdleConnections} (to
 * 16384) and {@code sun.net.httpserver.nodelay} (to true) unless they are set already, so that
 * 1,000 concurrent keep-alive clients work; they take effect only if no JDK HTTP server ran in this
 * JVM before.
 *
 * <p>Run as a process for benchmarks: {@code java dev.bridle.testkit.FakeOpenAiServer --port 0
 * --latency-ms 200 --steps 5} prints {@code {"event":"listening","port":N}} and serves until
 * killed.
 */
public final class FakeOpenAiServer implements AutoCloseable {

  /** Overrides the responder with {@code noopSteps(N)} for one request. */
  public static final String STEPS_HEADER = "x-fake-steps";

  private static final int BACKLOG = 4096;

  static {
    // The JDK server reads these once, when it is first used in the JVM. Its default of 200 idle
    // keep-alive connections makes it close connections that a client with 1,000 concurrent
    // requests then reuses (broken pipe); Nagle's algorithm adds latency to small answers.
    setPropertyUnlessSet("sun.net.httpserver.maxIdleConnections", "16384");
    setPropertyUnlessSet("sun.net.httpserver.nodelay", "true");
  }

  private final String host;
  private final int requestedPort;
  private final Duration latency;
  private final Responder responder;
  private final int recordedRequestLimit;
  private final Clock clock;

  private final ConcurrentLinkedQueue<Fault> queuedFaults = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Optional<Fault>> standingFault =
      new AtomicReference<>(Optional.empty());
  private final ArrayDeque<JsonNode> recordedRequests = new ArrayDeque<>();
  private final AtomicLong allRequests = new AtomicLong();
  private final AtomicLong chatCompletions = new AtomicLong();
  private final AtomicLong faultsServed = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final CountDownLatch closing = new CountDownLatch(1);

  private HttpServer server;
  private ExecutorService executor;

  private FakeOpenAiServer(Builder builder) {
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.latency = builder.latency;
    this.responder = builder.responder;
    this.recordedRequestLimit = builder.recordedRequestLimit;
    this.clock = builder.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and starts serving; returns this server. */
  public synchronized FakeOpenAiServer start() {
    if (server != null) {
      throw new IllegalStateException("the fake OpenAI server is already started");
    }
    if (closing.getCount() == 0) {
      throw new IllegalStateException("the fake OpenAI server is closed and cannot be restarted");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(host, requestedPort), BACKLOG);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot bind the fake OpenAI server to " + host + ":" + requestedPort, e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** The port actually bound. */
  public int port() {
    return started().getAddress().getPort();
  }

  /** {@code http://HOST:PORT/v1}, the base URL an OpenAI client expects. */
  public String baseUrl() {
    return "http://" + host + ":" + port() + "/v1";
  }

  /** How many chat completion requests arrived, including refused and faulted ones. */
  public long requestCount() {
    return chatCompletions.get();
  }

  /** The most recent parsed chat completion request bodies, oldest first, bounded. */
  public List<JsonNode> requests() {
    synchronized (recordedRequests) {
      return List.copyOf(recordedRequests);
    }
  }

  /** The most recent parsed chat completion request body. */
  public Optional<JsonNode> lastRequest() {
    synchronized (recordedRequests) {
      return Optional.ofNullable(recordedRequests.peekLast());
    }
  }

  /**
   * Serves {@code fault} to the next chat completion request; queued faults are served in order.
   */
  public void enqueueFault(Fault fault) {
    queuedFaults.add(Objects.requireNonNull(fault, "fault"));
  }

  /** Serves {@code fault} to every chat completion request that finds no queued fault. */
  public void faultEveryRequest(Fault fault) {
    standingFault.set(Optional.of(fault));
  }

  /** Drops queued faults and the standing fault. */
  public void clearFaults() {
    queuedFaults.clear();
    standingFault.set(Optional.empty());
  }

  /**
   * Stops at once: open connections are closed and held requests ({@link Fault.Hang}, latency) are
   * released without an answer.
   */
  @Override
  public synchronized void close() {
    closing.countDown();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private HttpServer started() {
    HttpServer current = server;
    if (current == null) {
      throw new IllegalStateException("the fake OpenAI server is not started; call start() first");
    }
    return current;
  }

  private void handle(HttpExchange exchange) {
    allRequests.incrementAndGet();
    try (exchange) {
      byte[] body = readBody(exchange);
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      switch (path) {
        case "/v1/chat/completions" -> {
          if (requireMethod(exchange, method, "POST")) {
            handleChatCompletion(exchange, body);
          }
        }
        case "/v1/models" -> {
          if (requireMethod(exchange, method, "GET")) {
            send(exchange, 200, OpenAiWire.models(clock.instant().getEpochSecond()));
          }
        }
        case "/stats" -> {
          if (requireMethod(exchange, method, "GET")) {
            send(exchange, 200, stats());
          }
        }
        default ->
            sendError(
                exchange, 404, "Unknown path " + path, "invalid_request_error", "unknown_url");
      }
    } catch (IOException e) {
      // The client went away or the server is closing; nothing left to answer.
    } catch (RuntimeException e) {
      trySendError(exchange, 500, "fake server failed: " + e, "server_error", null);
    }
  }

  private void handleChatCompletion(HttpExchange exchange, byte[] rawBody) throws IOException {
    long requestNumber = chatCompletions.incrementAndGet();
    int current = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(current, Math::max);
    try {
      JsonNode body;
      try {
        body = OpenAiWire.parse(rawBody);
      } catch (IOException e) {
        sendInvalidRequest(exchange, "Request body is not valid JSON", null);
        return;
      }
      if (!body.isObject() || !body.path("messages").isArray()) {
        sendInvalidRequest(
            exchange, "Request body must be a JSON object with a 'messages' array", "messages");
        return;
      }
      record(body);
      if (body.path("stream").asBoolean(false)) {
        sendInvalidRequest(
            exchange,
            "Streaming is not supported by the fake OpenAI server; send \"stream\": false",
            "stream");
        return;
      }
      Optional<Responder> chosen = responderFor(exchange);
      if (chosen.isEmpty()) {
        sendInvalidRequest(
            exchange, "Header " + STEPS_HEADER + " must be a non-negative integer", STEPS_HEADER);
        return;
      }
      if (!hold(latency)) {
        return;
      }
      Conversation conversation = Conversation.of(body);
      Optional<Fault> fault = nextFault();
      if (fault.isPresent()) {
        faultsServed.incrementAndGet();
        serveFault(exchange, requestNumber, conversation, chosen.get(), fault.get());
      } else {
        answer(exchange, requestNumber, conversation, chosen.get().respond(body));
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void serveFault(
      HttpExchange exchange,
      long requestNumber,
      Conversation conversation,
      Responder chosen,
      Fault fault)
      throws IOException {
    switch (fault) {
      case Fault.RateLimited rateLimited -> {
        exchange
            .getResponseHeaders()
            .set("Retry-After", Long.toString(rateLimited.retryAfterSeconds()));
        sendError(
            exchange,
            429,
            "Rate limit reached for requests (fake). Please try again in "
                + rateLimited.retryAfterSeconds()
                + "s.",
            "requests",
            "rate_limit_exceeded");
      }
      case Fault.ServerError serverError ->
          sendError(
              exchange,
              500,
              "The server had an error while processing your request (fake).",
              "server_error",
              null);
      case Fault.Hang hang -> {
        if (hold(hang.delay())) {
          answer(exchange, requestNumber, conversation, chosen.respond(conversation.requestBody()));
        }
      }
      case Fault.MalformedBody malformedBody -> send(exchange, 200, OpenAiWire.MALFORMED_BODY);
      case Fault.MalformedToolArguments malformedArguments -> {
        String tool = conversation.offeredToolNames().stream().findFirst().orElse("search");
        answer(
            exchange,
            requestNumber,
            conversation,
            FakeReply.rawToolCall(tool, OpenAiWire.MALFORMED_ARGUMENTS));
      }
      case Fault.UnknownTool unknownTool ->
          answer(
              exchange,
              requestNumber,
              conversation,
              FakeReply.rawToolCall(unknownTool.toolName(), "{}"));
    }
  }

  private void answer(
      HttpExchange exchange, long requestNumber, Conversation conversation, FakeReply reply)
      throws IOException {
    long created = clock.instant().getEpochSecond();
    send(exchange, 200, OpenAiWire.completion(requestNumber, created, conversation, reply));
  }

  private Optional<Responder> responderFor(HttpExchange exchange) {
    String steps = exchange.getRequestHeaders().getFirst(STEPS_HEADER);
    if (steps == null) {
      return Optional.of(responder);
    }
    try {
      int parsed = Integer.parseInt(steps.strip());
      return parsed < 0 ? Optional.empty() : Optional.of(Responders.noopSteps(parsed));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Optional<Fault> nextFault() {
    Fault queued = queuedFaults.poll();
    return queued != null ? Optional.of(queued) : standingFault.get();
  }

  /**
   * Waits {@code delay}; false when the server closed meanwhile and the request must be dropped.
   */
  private boolean hold(Duration delay) {
    if (delay.isZero()) {
      return closing.getCount() > 0;
    }
    try {
      return !closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void record(JsonNode body) {
    if (recordedRequestLimit == 0) {
      return;
    }
    synchronized (recordedRequests) {
      if (recordedRequests.size() == recordedRequestLimit) {
        recordedRequests.pollFirst();
      }
      recordedRequests.addLast(body);
    }
  }

  private byte[] stats() {
    ObjectNode stats = OpenAiWire.JSON.createObjectNode();
    stats.put("requests", allRequests.get());
    stats.put("chat_completions", chatCompletions.get());
    stats.put("faults_served", faultsServed.get());
    stats.put("in_flight", inFlight.get());
    stats.put("max_in_flight", maxInFlight.get());
    return OpenAiWire.bytes(stats);
  }

  private static void setPropertyUnlessSet(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static boolean requireMethod(HttpExchange exchange, String method, String expected)
      throws IOException {
    if (method.equals(expected)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", expected);
    sendError(
        exchange,
        405,
        "Method " + method + " is not allowed here; use " + expected,
        "invalid_request_error",
        null);
    return false;
  }

  private static void sendError(
      HttpExchange exchange, int status, String message, String type, String code)
      throws IOException {
    send(exchange, status, OpenAiWire.error(message, type, null, code));
  }

  private static void sendInvalidRequest(HttpExchange exchange, String message, String param)
      throws IOException {
    send(exchange, 400, OpenAiWire.error(message, "invalid_request_error", param, null));
  }

  private static void trySendError(
      HttpExchange exchange, int status, String message, String type, String code) {
    try {
      sendError(exchange, status, message, type, code);
    } catch (IOException | RuntimeException e) {
      // Headers were already sent or the connection is gone; the client sees a broken answer.
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * Runs the server as a process: {@code --host H --port N --latency-ms N --steps N}, all optional
   * (defaults {@code 127.0.0.1}, {@code 0}, {@code 0}, {@code 5}). Prints {@code
   * {"event":"listening","port":N}} once bound and serves {@link Responders#noopSteps(int)} until
   * the process ends.
   */
  public static void main(String[] args) throws InterruptedException {
    ServerArguments arguments;
    try {
      arguments = ServerArguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(ServerArguments.USAGE);
      System.exit(2);
      return;
    }
    FakeOpenAiServer server =
        builder()
            .host(arguments.host())
            .port(arguments.port())
            .latency(arguments.latency())
            .responder(Responders.noopSteps(arguments.steps()))
            .recordedRequests(0)
            .build()
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fake-openai-shutdown"));
    PrintStream out = System.out;
    out.println("{\"event\":\"listening\",\"port\":" + server.port() + "}");
    out.flush();
    server.closing.await();
  }

  /** Configures a {@link FakeOpenAiServer}; every setting has a default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private Duration latency = Duration.ZERO;
    private Responder responder = Responders.text(Responders.DONE);
    private int recordedRequestLimit = 256;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Address to bind; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port to bind; default 0, any free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Delay before every chat completion answer; default none. */
    public Builder latency(Duration latency) {
      this.latency = Objects.requireNonNull(latency, "latency");
      return this;
    }

    /** Picks the answers; default always answers {@value Responders#DONE}. */
    public Builder responder(Responder responder) {
      this.responder = Objects.requireNonNull(responder, "responder");
      return this;
    }

    /** How many recent request bodies {@link #requests()} keeps; default 256, 0 keeps none. */
    public Builder recordedRequests(int limit) {
      this.recordedRequestLimit = limit;
      return this;
    }

    /** Clock for the {@code created} timestamps; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public FakeOpenAiServer build() {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
      }
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative, but was " + latency);
      }
      if (recordedRequestLimit < 0) {
        throw new IllegalArgumentException(
            "recorded-requests must not be negative, but was " + recordedRequestLimit);
      }
      return new FakeOpenAiServer(this);
    }
  }
}
