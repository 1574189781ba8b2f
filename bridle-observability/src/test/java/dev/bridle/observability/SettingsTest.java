package dev.bridle.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.RunId;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Content capture, OTLP defaults and trace ids: what the environment and the run id decide. */
class SettingsTest {

  @Test
  void contentCaptureIsOffUnlessTurnedOnAndPropertiesWinOverTheEnvironment() {
    Properties none = new Properties();
    assertThat(ContentCapture.fromEnvironment(Map.of(), none)).isEqualTo(ContentCapture.OFF);
    assertThat(ContentCapture.fromEnvironment(Map.of("BRIDLE_OTEL_CAPTURE_CONTENT", "true"), none))
        .isEqualTo(ContentCapture.REDACTED);
    Properties off = new Properties();
    off.setProperty("bridle.otel.capture-content", "false");
    assertThat(
            ContentCapture.fromEnvironment(Map.of("BRIDLE_OTEL_CAPTURE_CONTENT", "true"), off)
                .enabled())
        .isFalse();
    assertThat(
            ContentCapture.fromEnvironment(Map.of("BRIDLE_OTEL_CONTENT_MAX_CHARS", "200"), none)
                .maxChars())
        .isEqualTo(200);
  }

  @Test
  void badContentSettingsNameTheSettingAndTheValue() {
    Properties none = new Properties();
    assertThatThrownBy(
            () ->
                ContentCapture.fromEnvironment(Map.of("BRIDLE_OTEL_CAPTURE_CONTENT", "yes"), none))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("BRIDLE_OTEL_CAPTURE_CONTENT must be 'true' or 'false', but was 'yes'");
    assertThatThrownBy(
            () ->
                ContentCapture.fromEnvironment(
                    Map.of("BRIDLE_OTEL_CONTENT_MAX_CHARS", "lots"), none))
        .hasMessage(
            "BRIDLE_OTEL_CONTENT_MAX_CHARS must be a whole number of characters, but was 'lots'");
    assertThatThrownBy(() -> new ContentCapture(true, 3))
        .hasMessage("content max-chars must be between 16 and 1000000, but was 3");
  }

  @Test
  void capturedContentIsRedactedAndCut() {
    ContentCapture capture = new ContentCapture(true, 40);
    assertThat(capture.redact("mail ada@client.test now")).isEqualTo("mail [REDACTED:EMAIL] now");
    assertThat(capture.redact("x".repeat(100))).startsWith("x".repeat(40)).contains("60 more");
  }

  @Test
  void withoutAnOtlpEndpointNothingIsExportedAndMetricsAndLogsNeverGoThroughTheSdk() {
    Properties none = new Properties();
    assertThat(OtelDefaults.defaults(Map.of(), none))
        .containsEntry("otel.traces.exporter", "none")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none")
        .containsEntry("otel.service.name", "bridle");
    assertThat(
            OtelDefaults.defaults(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), none))
        .doesNotContainKey("otel.traces.exporter");
    Properties traces = new Properties();
    traces.setProperty("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces");
    assertThat(OtelDefaults.defaults(Map.of(), traces)).doesNotContainKey("otel.traces.exporter");
  }

  @Test
  void anAutoConfiguredInstanceBuildsWithoutACollectorAndStillObserves() {
    try (Observability observability =
        Observability.builder().contentCapture(ContentCapture.OFF).build()) {
      CrmScenario scenario = new CrmScenario();
      scenario
          .agent(observability.observe(scenario.journal))
          .run(RunId.of("run-auto"), "hi", "bob");
      assertThat(observability.scrape())
          .contains("bridle_runs_started_total")
          .contains("jvm_memory_used_bytes");
      assertThat(observability.flush(5)).isTrue();
    }
  }

  @Test
  void traceIdsAreDerivedFromTheRunIdAlone() {
    RunId run = RunId.of("run-1");
    assertThat(TraceIds.traceId(run))
        .hasSize(32)
        .matches("[0-9a-f]{32}")
        .isEqualTo(TraceIds.traceId(RunId.of("run-1")));
    assertThat(TraceIds.traceId(run)).isNotEqualTo(TraceIds.traceId(RunId.of("run-2")));
    assertThat(TraceIds.rootSpanId(run)).matches("[0-9a-f]{16}");
    assertThat(TraceIds.segmentSpanId(run, 7))
        .isNotEqualTo(TraceIds.segmentSpanId(run, 8))
        .isNotEqualTo(TraceIds.rootSpanId(run));
  }

  @Test
  void modelIdsSplitIntoTheConventionsProviderAndModelNames() {
    assertThat(GenAi.Model.of("openai:gpt-4o-mini"))
        .isEqualTo(new GenAi.Model("openai", "gpt-4o-mini"));
    assertThat(GenAi.Model.of("gemini:gemini-2.5-flash").provider()).isEqualTo("gcp.gemini");
    assertThat(GenAi.Model.of("ollama:llama3").provider()).isEqualTo("ollama");
    assertThat(GenAi.Model.of("my-model")).isEqualTo(new GenAi.Model("_OTHER", "my-model"));
  }
}
