package dev.bridle.server.notify;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.control.Notifier;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts notifications to a Slack-compatible incoming webhook: pending approvals (with a link to the
 * dashboard's approvals inbox), autonomous actions inside their undo window (with how to undo
 * them), and, through {@link #alert(AlertKind, String)}, budget alerts, breaker and kill-switch
 * changes.
 *
 * <p>{@link #notify(Notification)} never blocks the run: it puts the message on a bounded queue and
 * returns; a full queue drops the message with a warning and counts it ({@link #dropped()}). One
 * virtual thread delivers the queue in order, each attempt with a timeout, retrying a 5xx, a 429
 * and a failed connection with exponential backoff up to a bounded number of attempts.
 *
 * <p>The webhook URL is a secret (Slack's path is the credential): it comes from the environment
 * ({@link #urlFromEnvironment(String, Map)}), and logs and error messages name only its host. Every
 * text a run wrote goes through {@link dev.bridle.core.guard.Redactor}.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {

  /** The environment variable that holds the webhook URL unless configured otherwise. */
  public static final String DEFAULT_URL_VARIABLE = "BRIDLE_WEBHOOK_URL";

  private static final Logger LOG = Logger.getLogger(WebhookNotifier.class.getName());

  private final URI url;
  private final Supplier<Optional<URI>> dashboard;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final Duration closeGrace;
  private final HttpClient client;
  private final BlockingQueue<Message> queue;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread worker;
  private volatile boolean closing;

  private WebhookNotifier(Builder builder) {
    this.url = builder.url;
    this.dashboard = builder.dashboard;
    this.timeout = builder.timeout;
    this.maxAttempts = builder.maxAttempts;
    this.backoff = builder.backoff;
    this.maxBackoff = builder.maxBackoff;
    this.closeGrace = builder.closeGrace;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.queue = new ArrayBlockingQueue<>(builder.queueCapacity);
    this.worker = Thread.ofVirtual().name("bridle-webhook").start(this::deliverUntilClosed);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The webhook URL in the environment variable {@code variable}, if it is set and not blank.
   *
   * @throws ConfigurationException when it is set but not an http(s) URL with a host; the message
   *     names the variable, never the value
   */
  public static Optional<URI> urlFromEnvironment(String variable, Map<String, String> environment) {
    Objects.requireNonNull(variable, "variable");
    String value = environment.get(variable);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value.strip());
      checkUrl(uri, "$" + variable);
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          "$" + variable + " must be an http or https URL, but is not a valid URL");
    }
  }

  private static void checkUrl(URI uri, String what) {
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new ConfigurationException(
          what
              + " must be an http or https URL with a host, but its scheme is "
              + (scheme == null ? "missing" : scheme)
              + " and its host "
              + (uri.getHost() == null ? "missing" : uri.getHost()));
    }
  }

  @Override
  public void notify(Notification notification) {
    Objects.requireNonNull(notification, "notification");
    enqueue(
        new Message(
            notification.kind() + " of run " + notification.runId(),
            base -> SlackMessage.of(notification, base)));
  }

  /**
   * Reports a control-plane event that is not a run's (a budget alert, a breaker or a kill switch
   * that changed); like {@link #notify(Notification)}, queued and never blocking. {@code text} is
   * redacted.
   */
  public void alert(AlertKind kind, String text) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    enqueue(new Message(kind.name(), base -> SlackMessage.of(kind, text)));
  }

  private void enqueue(Message message) {
    if (closing || !queue.offer(message)) {
      long count = dropped.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "webhook to "
              + url.getHost()
              + ": dropped "
              + message.what()
              + (closing ? " (notifier closed)" : " (queue full)")
              + ", "
              + count
              + " dropped so far");
    }
  }

  /** Messages delivered (answered with a 2xx). */
  public long delivered() {
    return delivered.get();
  }

  /** Messages given up on: a 4xx other than 429, or every attempt failed. */
  public long failed() {
    return failed.get();
  }

  /** Messages never sent because the queue was full or the notifier closed. */
  public long dropped() {
    return dropped.get();
  }

  /** The webhook's host, the only part of its URL that may be shown. */
  public String host() {
    return url.getHost();
  }

  /**
   * Stops taking messages, delivers what is queued for up to the close grace (default 5 s), then
   * stops the delivery thread.
   */
  @Override
  public void close() {
    closing = true;
    try {
      if (!worker.join(closeGrace)) {
        worker.interrupt();
        worker.join(timeout);
      }
    } catch (InterruptedException e) {
      worker.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  private void deliverUntilClosed() {
    try {
      while (true) {
        Message message = queue.poll(100, TimeUnit.MILLISECONDS);
        if (message != null) {
          try {
            deliver(message);
          } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.log(
                Level.WARNING,
                "webhook to "
                    + url.getHost()
                    + ": could not send "
                    + message.what()
                    + " ("
                    + e.getClass().getSimpleName()
                    + ")");
          }
        } else if (closing) {
          return;
        }
      }
    } catch (InterruptedException e) {
      int left = queue.size();
      if (left > 0) {
        dropped.addAndGet(left);
        LOG.log(
            Level.WARNING,
            "webhook to " + url.getHost() + ": closed with " + left + " message(s) undelivered");
      }
    }
  }

  private void deliver(Message message) throws InterruptedException {
    String base = dashboard.get().map(URI::toString).orElse("");
    String json = message.body().apply(base.isEmpty() || base.endsWith("/") ? base : base + "/");
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    String lastProblem = "";
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      Duration wait = backoff(attempt);
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          delivered.incrementAndGet();
          return;
        }
        lastProblem = "HTTP " + status;
        if (status != 429 && status < 500) {
          break;
        }
        wait = retryAfter(response).orElse(wait);
      } catch (IOException e) {
        // the exception's message may carry the URL: name only its type
        lastProblem = e.getClass().getSimpleName();
      }
      if (attempt < maxAttempts) {
        Thread.sleep(wait);
      }
    }
    failed.incrementAndGet();
    LOG.log(
        Level.WARNING,
        "webhook to "
            + url.getHost()
            + ": gave up on "
            + message.what()
            + " ("
            + lastProblem
            + ")");
  }

  /** The wait before the attempt after {@code attempt}: backoff doubling, capped. */
  private Duration backoff(int attempt) {
    Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  private Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            value -> {
              try {
                Duration wait = Duration.ofSeconds(Long.parseLong(value.strip()));
                return Optional.of(wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait);
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  /**
   * One queued message: {@code what} names it in logs (kind and run, no text); {@code body} renders
   * the JSON (redaction included, off the run's thread) for the dashboard's base URL.
   */
  private record Message(String what, Function<String, String> body) {}

  /** Settings of a {@link WebhookNotifier}; only the URL is required. */
  public static final class Builder {

    private URI url;
    private Supplier<Optional<URI>> dashboard = Optional::empty;
    private Duration timeout = Duration.ofSeconds(5);
    private int maxAttempts = 3;
    private Duration backoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration closeGrace = Duration.ofSeconds(5);
    private int queueCapacity = 1000;

    private Builder() {}

    /** The webhook URL (a secret: it is never logged). */
    public Builder url(URI url) {
      this.url = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * The dashboard's base URL (the server's), for links to the approvals inbox and to runs;
     * without it, messages point to the CLI instead.
     */
    public Builder dashboard(URI dashboard) {
      Optional<URI> fixed = Optional.of(Objects.requireNonNull(dashboard, "dashboard"));
      this.dashboard = () -> fixed;
      return this;
    }

    /**
     * {@link #dashboard(URI)} asked for each message as it is sent: for a server whose address is
     * known only once it listens (port 0). Empty leaves the links out.
     */
    public Builder dashboard(Supplier<Optional<URI>> dashboard) {
      this.dashboard = Objects.requireNonNull(dashboard, "dashboard");
      return this;
    }

    /** The timeout of each attempt, connecting included (default 5 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Attempts per message, the first included (default 3). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * The wait after the first failed attempt, doubling after each (default 1 s), and its cap,
     * which also caps a {@code Retry-After} (default 30 s).
     */
    public Builder backoff(Duration backoff, Duration maxBackoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** How long {@link #close()} keeps delivering what is queued (default 5 s). */
    public Builder closeGrace(Duration closeGrace) {
      this.closeGrace = Objects.requireNonNull(closeGrace, "closeGrace");
      return this;
    }

    /** Messages waiting at most; more are dropped (default 1000). */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /**
     * Starts the notifier's delivery thread.
     *
     * @throws ConfigurationException when a setting is out of range
     */
    public WebhookNotifier build() {
      if (url == null) {
        throw new ConfigurationException("webhook url must be set");
      }
      checkUrl(url, "webhook url");
      positive("timeout", timeout);
      positive("backoff", backoff);
      positive("close-grace", closeGrace);
      if (maxBackoff.compareTo(backoff) < 0) {
        throw new ConfigurationException(
            "max-backoff must be at least backoff (" + backoff + "), but was " + maxBackoff);
      }
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new ConfigurationException(
            "max-attempts must be between 1 and 10, but was " + maxAttempts);
      }
      if (queueCapacity < 1 || queueCapacity > 100_000) {
        throw new ConfigurationException(
            "queue-capacity must be between 1 and 100000, but was " + queueCapacity);
      }
      return new WebhookNotifier(this);
    }

    private static void positive(String name, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new ConfigurationException(name + " must be positive, but was " + value);
      }
    }
  }
}
