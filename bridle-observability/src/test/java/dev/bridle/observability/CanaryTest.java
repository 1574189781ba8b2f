package dev.bridle.observability;

import static dev.bridle.observability.CrmScenario.CARD;
import static dev.bridle.observability.CrmScenario.CARD_DIGITS;
import static dev.bridle.observability.CrmScenario.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.observability.log.RedactingJsonEncoder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The canary: an API key and a card number in the task and in a tool result (which the model then
 * repeats in its answer) never reach exported spans, metric labels or log lines, with content
 * capture on. Where content is exported, it is exported redacted.
 */
class CanaryTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CrmScenario scenario =
      new CrmScenario(
          "customer C1: Ada, api key " + SECRET + ", card " + CARD,
          "Done. Ada's key is " + SECRET + " and her card " + CARD);
  private final RunId runId = RunId.of("run-canary");

  @Test
  void aSecretInTheTaskAndInAToolResultNeverAppearsInSpansMetricLabelsOrLogs() throws Exception {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender = jsonAppender(logging, logged);
    ch.qos.logback.classic.Logger rootLogger = logging.getLogger(Logger.ROOT_LOGGER_NAME);
    Level level = rootLogger.getLevel();
    rootLogger.setLevel(Level.DEBUG);
    rootLogger.addAppender(appender);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    String task = "Update lead L1. The customer's key is " + SECRET + ", card " + CARD;
    try (Observability observability =
        Observability.builder()
            .spanExporter(exporter)
            .contentCapture(ContentCapture.REDACTED)
            .build()) {
      ObservedRunStore store = observability.observe(scenario.journal);
      Agent agent = scenario.agent(store);
      agent.run(runId, task, "bob");
      scenario
          .approvals(store, agent)
          .decide(CrmScenario.approvalId(runId), Decision.APPROVE, null, "", "alice");
      assertThat(agent.resume(runId).outcome()).isInstanceOf(RunOutcome.Completed.class);

      Logger log = LoggerFactory.getLogger("dev.bridle.canary");
      MDC.put("task", task);
      try {
        log.warn(
            "model answered {}",
            scenario.answer,
            new IllegalStateException("tool failed with key " + SECRET));
      } finally {
        MDC.remove("task");
      }

      List<SpanData> spans = exporter.getFinishedSpanItems();
      assertThat(spans).hasSizeGreaterThan(5);
      String exported = everythingIn(spans);
      assertNoSecret(exported);
      SpanData root =
          spans.stream()
              .filter(s -> s.getName().equals("invoke_agent crm"))
              .findFirst()
              .orElseThrow();
      assertThat(root.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")))
          .as("content capture is on: the task is there, redacted")
          .contains("Update lead L1")
          .contains("[REDACTED:API_KEY]")
          .contains("[REDACTED:CREDIT_CARD]");
      SpanData lookup =
          spans.stream()
              .filter(s -> s.getName().equals("execute_tool lookup_customer"))
              .findFirst()
              .orElseThrow();
      assertThat(lookup.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.result")))
          .contains("customer C1: Ada")
          .contains("[REDACTED:API_KEY]")
          .contains("[REDACTED:CREDIT_CARD]");
      assertThat(exported).contains("Done. Ada's key is [REDACTED:API_KEY]");

      String scraped = observability.scrape();
      assertThat(scraped).contains("bridle_runs_total");
      assertNoSecret(scraped);
    } finally {
      rootLogger.detachAppender(appender);
      rootLogger.setLevel(level);
      appender.stop();
    }

    String logs = logged.toString(StandardCharsets.UTF_8);
    assertNoSecret(logs);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logs.strip().split("\n")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines)
        .anySatisfy(
            line -> {
              assertThat(line.path("message").asText())
                  .isEqualTo("run run-canary of workflow crm completed");
              assertThat(line.path("trace_id").asText()).isEqualTo(TraceIds.traceId(runId));
            });
    assertThat(lines)
        .anySatisfy(
            line -> {
              assertThat(line.path("logger").asText()).isEqualTo("dev.bridle.canary");
              assertThat(line.path("message").asText()).contains("[REDACTED:API_KEY]");
              assertThat(line.path("task").asText()).contains("[REDACTED:CREDIT_CARD]");
              assertThat(line.path("stack_trace").asText())
                  .contains("IllegalStateException: tool failed with key [REDACTED:API_KEY]");
            });
  }

  private static OutputStreamAppender<ILoggingEvent> jsonAppender(
      LoggerContext context, ByteArrayOutputStream out) {
    RedactingJsonEncoder encoder = new RedactingJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    return appender;
  }

  /** Names, attribute values, event attributes and status descriptions of every span. */
  private static String everythingIn(List<SpanData> spans) {
    StringBuilder all = new StringBuilder();
    for (SpanData span : spans) {
      all.append(span.getName()).append('\n');
      append(all, span.getAttributes());
      all.append(span.getStatus().getDescription()).append('\n');
      for (EventData event : span.getEvents()) {
        all.append(event.getName()).append('\n');
        append(all, event.getAttributes());
      }
      append(all, span.getResource().getAttributes());
    }
    return all.toString();
  }

  private static void append(StringBuilder all, Attributes attributes) {
    attributes.forEach(
        (key, value) -> all.append(key.getKey()).append('=').append(value).append('\n'));
  }

  private static void assertNoSecret(String text) {
    assertThat(text)
        .doesNotContain(SECRET)
        .doesNotContain(SECRET.substring("sk-proj-".length()))
        .doesNotContain(CARD)
        .doesNotContain(CARD_DIGITS);
  }
}
