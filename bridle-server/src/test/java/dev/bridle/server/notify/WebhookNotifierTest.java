package dev.bridle.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.control.Notifier;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookNotifierTest {

  private static final String SECRET = "T000SECRET/B000SECRET/xoxSecretPathSegment";
  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final LinkedBlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final List<String> paths = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private final CountDownLatch firstArrived = new CountDownLatch(1);
  private final List<String> logs = Collections.synchronizedList(new ArrayList<>());
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logs.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final Logger logger = Logger.getLogger(WebhookNotifier.class.getName());
  private final List<WebhookNotifier> notifiers = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          paths.add(exchange.getRequestURI().getPath());
          firstArrived.countDown();
          try {
            hold.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          Integer status = statuses.poll();
          int code = status == null ? 200 : status;
          if (code == 200) {
            received.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
          }
          exchange.sendResponseHeaders(code, -1);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    logger.addHandler(capture);
  }

  @AfterEach
  void stop() {
    hold.countDown();
    notifiers.forEach(WebhookNotifier::close);
    logger.removeHandler(capture);
    server.stop(0);
  }

  private URI webhookUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/" + SECRET);
  }

  private WebhookNotifier notifier(WebhookNotifier.Builder builder) {
    WebhookNotifier notifier = builder.build();
    notifiers.add(notifier);
    return notifier;
  }

  private WebhookNotifier.Builder fast() {
    return WebhookNotifier.builder()
        .url(webhookUrl())
        .dashboard(URI.create("http://bridle.example:8080"))
        .timeout(Duration.ofSeconds(2))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  private static Notifier.Notification approval(String text) {
    return new Notifier.Notification(
        Notifier.Kind.APPROVAL_PENDING,
        "refunds",
        RunId.of("run-1"),
        "call-1",
        "issue_refund",
        text,
        null);
  }

  @Test
  void approvalArrivesAsSlackMessageWithLinkToTheInbox() {
    WebhookNotifier notifier = notifier(fast());

    notifier.notify(approval("issue_refund waits for approval ap-7: refund over the limit"));

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    JsonNode body = received.get(0);
    assertThat(paths).containsExactly("/services/" + SECRET);
    assertThat(body.get("text").asText())
        .isEqualTo("Approval pending: issue_refund waits for approval ap-7: refund over the limit");
    JsonNode blocks = body.get("blocks");
    assertThat(blocks.get(0).get("type").asText()).isEqualTo("section");
    assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("mrkdwn");
    assertThat(blocks.get(0).get("text").get("text").asText())
        .isEqualTo(
            "*Approval pending*\nissue_refund waits for approval ap-7: refund over the limit");
    assertThat(blocks.get(1).get("text").get("text").asText())
        .isEqualTo("<http://bridle.example:8080/#/approvals|Open the approvals inbox>");
    assertThat(blocks.get(2).get("type").asText()).isEqualTo("context");
    assertThat(blocks.get(2).get("elements").get(0).get("text").asText())
        .isEqualTo("workflow `refunds` · run `run-1` · tool `issue_refund`");
    assertThat(notifier.delivered()).isEqualTo(1);
  }

  @Test
  void autonomousActionCarriesItsUndoWindowAndLink() {
    WebhookNotifier notifier = notifier(fast());

    notifier.notify(
        new Notifier.Notification(
            Notifier.Kind.AUTONOMOUS_ACTION,
            "refunds",
            RunId.of("run-2"),
            "call-3",
            "issue_refund",
            "issue_refund ran autonomously",
            Instant.parse("2026-11-22T05:30:00.123Z")));
    notifier.notify(
        new Notifier.Notification(
            Notifier.Kind.AUTONOMOUS_ACTION,
            "refunds",
            RunId.of("run-2"),
            "call-4",
            "send_mail",
            "send_mail ran autonomously",
            null));

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    assertThat(received.get(0).get("text").asText())
        .isEqualTo("Autonomous action: issue_refund ran autonomously");
    assertThat(received.get(0).get("blocks").get(1).get("text").get("text").asText())
        .isEqualTo(
            "Can be undone until 2026-11-22T05:30:00Z:"
                + " <http://bridle.example:8080/#/runs/run-2|Undo it from the run>"
                + " or `bridle revert run-2 --workflow FILE`.");
    assertThat(received.get(1).get("blocks").get(1).get("text").get("text").asText())
        .isEqualTo("This action cannot be undone.");
  }

  @Test
  void withoutADashboardMessagesPointToTheCli() {
    WebhookNotifier notifier =
        notifier(
            WebhookNotifier.builder()
                .url(webhookUrl())
                .dashboard(() -> Optional.<URI>empty())
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50)));

    notifier.notify(approval("waits"));
    notifier.notify(
        new Notifier.Notification(
            Notifier.Kind.AUTONOMOUS_ACTION,
            "refunds",
            RunId.of("run-3"),
            "call-1",
            "issue_refund",
            "ran",
            Instant.parse("2026-11-22T05:30:00Z")));

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    assertThat(received.get(0).get("blocks").get(1).get("text").get("text").asText())
        .isEqualTo("Decide with `bridle approvals`.");
    assertThat(received.get(1).get("blocks").get(1).get("text").get("text").asText())
        .isEqualTo(
            "Can be undone until 2026-11-22T05:30:00Z: with `bridle revert run-3 --workflow"
                + " FILE`.");
  }

  @Test
  void serverErrorIsRetriedUntilItSucceeds() {
    statuses.add(500);
    statuses.add(429);
    WebhookNotifier notifier = notifier(fast());

    notifier.notify(approval("issue_refund waits for approval ap-8"));

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(paths).hasSize(3);
    assertThat(notifier.delivered()).isEqualTo(1);
    assertThat(notifier.failed()).isZero();
  }

  @Test
  void attemptsAreBoundedAndAClientErrorIsNotRetried() {
    statuses.addAll(List.of(500, 500, 500, 404));
    WebhookNotifier notifier = notifier(fast().maxAttempts(3));

    notifier.notify(approval("first"));
    notifier.notify(approval("second"));

    await().atMost(Duration.ofSeconds(5)).until(() -> notifier.failed() == 2);
    assertThat(paths).hasSize(4);
    assertThat(received).isEmpty();
    assertThat(logs)
        .contains(
            "webhook to 127.0.0.1: gave up on APPROVAL_PENDING of run run-1 (HTTP 500)",
            "webhook to 127.0.0.1: gave up on APPROVAL_PENDING of run run-1 (HTTP 404)");
  }

  @Test
  void fullQueueDropsAndCounts() throws InterruptedException {
    hold = new CountDownLatch(1);
    WebhookNotifier notifier = notifier(fast().queueCapacity(1));

    notifier.notify(approval("one"));
    assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue(); // the worker holds "one"
    notifier.notify(approval("two")); // waits in the queue
    notifier.notify(approval("three")); // no room

    assertThat(notifier.dropped()).isEqualTo(1);
    assertThat(logs)
        .contains(
            "webhook to 127.0.0.1: dropped APPROVAL_PENDING of run run-1 (queue full), 1 dropped"
                + " so far");
    hold.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    assertThat(received)
        .extracting(body -> body.get("text").asText())
        .containsExactly("Approval pending: one", "Approval pending: two");
  }

  @Test
  void logsNameOnlyTheHostNeverTheSecretPath() throws IOException {
    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    WebhookNotifier unreachable =
        notifier(
            fast()
                .url(URI.create("http://127.0.0.1:" + closedPort + "/services/" + SECRET))
                .maxAttempts(2)
                .queueCapacity(1));
    statuses.addAll(List.of(500, 500, 500));
    WebhookNotifier failing = notifier(fast());

    unreachable.notify(approval("a"));
    failing.notify(approval("b"));
    await().atMost(Duration.ofSeconds(5)).until(() -> unreachable.failed() + failing.failed() == 2);
    unreachable.close();
    unreachable.notify(approval("after close"));

    assertThat(logs).hasSizeGreaterThanOrEqualTo(3);
    assertThat(logs).allSatisfy(line -> assertThat(line).contains("webhook to 127.0.0.1"));
    assertThat(String.join("\n", logs))
        .doesNotContain("SECRET")
        .doesNotContain("services")
        .doesNotContain(String.valueOf(closedPort));
    assertThat(unreachable.host()).isEqualTo("127.0.0.1");
  }

  @Test
  void cardNumbersInTextAreRedacted() {
    WebhookNotifier notifier = notifier(fast());

    notifier.notify(approval("refund to card 4111 1111 1111 1111 waits"));
    notifier.alert(AlertKind.BUDGET_ALERT, "spend of card 4111111111111111 crossed 80% of $100");

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    String all = received.toString();
    assertThat(all).doesNotContain("4111").contains("[REDACTED:");
    assertThat(received.get(1).get("text").asText()).startsWith("Budget alert: spend of card [");
  }

  @Test
  void textIsEscapedForSlack() {
    WebhookNotifier notifier = notifier(fast());

    notifier.alert(AlertKind.BREAKER_CHANGED, "breaker <opened> for a & b");

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(received.get(0).get("text").asText())
        .isEqualTo("Breaker changed: breaker &lt;opened&gt; for a &amp; b");
    assertThat(received.get(0).get("blocks")).hasSize(1);
  }

  @Test
  void killSwitchChangesAreReported(@TempDir Path dir) {
    WebhookNotifier notifier = notifier(fast());
    try (RunStore store = RunStores.open("sqlite:" + dir.resolve("bridle.db"))) {
      KillSwitch alerting = new AlertingKillSwitch(RunStores.killSwitch(store), notifier);

      alerting.kill(KillSwitch.Scope.WORKFLOW, "refunds", "alice", "refund storm");
      assertThat(alerting.check("refunds", "agent")).isPresent();
      assertThat(alerting.revive(KillSwitch.Scope.WORKFLOW, "refunds", "bob")).isTrue();
      // was off: nothing to report
      assertThat(alerting.revive(KillSwitch.Scope.WORKFLOW, "other", "bob")).isFalse();

      await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
      assertThat(alerting.active()).isEmpty();
    }
    assertThat(received)
        .extracting(body -> body.get("text").asText())
        .containsExactly(
            "Kill switch changed: The kill switch of workflow refunds turned ON by alice: refund"
                + " storm",
            "Kill switch changed: The kill switch of workflow refunds turned OFF by bob");
  }

  @Test
  void fanOutReachesEveryNotifierEvenWhenOneThrows() {
    WebhookNotifier webhook = notifier(fast());
    List<Notifier.Notification> seen = new CopyOnWriteArrayList<>();
    Notifier broken =
        n -> {
          throw new IllegalStateException("broken");
        };
    Notifier fanOut = FanOutNotifier.of(broken, seen::add, webhook);

    fanOut.notify(approval("waits"));

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    assertThat(seen).hasSize(1);
    assertThatThrownBy(() -> FanOutNotifier.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  @Test
  void urlComesFromTheEnvironmentAndBadValuesAreNamedWithoutTheSecret() {
    assertThat(WebhookNotifier.urlFromEnvironment("BRIDLE_WEBHOOK_URL", Map.of())).isEmpty();
    assertThat(
            WebhookNotifier.urlFromEnvironment(
                "BRIDLE_WEBHOOK_URL", Map.of("BRIDLE_WEBHOOK_URL", " https://hooks.example/x ")))
        .isEqualTo(Optional.of(URI.create("https://hooks.example/x")));
    assertThatThrownBy(
            () ->
                WebhookNotifier.urlFromEnvironment(
                    "HOOK", Map.of("HOOK", "ftp://hooks.example/" + SECRET)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "$HOOK must be an http or https URL with a host, but its scheme is ftp and its host"
                + " hooks.example")
        .message()
        .doesNotContain(SECRET);
    assertThatThrownBy(
            () ->
                WebhookNotifier.urlFromEnvironment("HOOK", Map.of("HOOK", "https://x y/" + SECRET)))
        .isInstanceOf(ConfigurationException.class)
        .message()
        .doesNotContain(SECRET);
    assertThatThrownBy(() -> WebhookNotifier.builder().url(webhookUrl()).maxAttempts(0).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("max-attempts must be between 1 and 10, but was 0");
  }
}
