package dev.bridle.observability.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Log lines as JSON and as text, redacted, on a Logback context of the test's own. */
class LogSetupTest {

  private static final String KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";

  private final LoggerContext context = context();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.start();
    return context;
  }

  @Test
  void jsonLinesCarryTheFieldsAndRedactMessagesMdcAndStackTraces() throws Exception {
    LogSetup.configure(context, LogSetup.Format.JSON, Level.INFO, out);
    Logger log = context.getLogger("dev.bridle.test");
    context.getMDCAdapter().put("bridle.run.id", "run-1");
    context.getMDCAdapter().put("secret", KEY);
    log.info("calling with {}", "key=" + KEY);
    log.debug("not at info");
    log.error("failed", new IllegalArgumentException("bad card 4111 1111 1111 1111"));
    context.getMDCAdapter().clear();

    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines[0]);
    assertThat(first.path("level").asText()).isEqualTo("INFO");
    assertThat(first.path("logger").asText()).isEqualTo("dev.bridle.test");
    assertThat(first.path("timestamp").asText()).endsWith("Z");
    assertThat(first.path("message").asText()).isEqualTo("calling with key=[REDACTED:API_KEY]");
    assertThat(first.path("bridle.run.id").asText()).isEqualTo("run-1");
    assertThat(first.path("secret").asText()).isEqualTo("[REDACTED:API_KEY]");
    JsonNode second = json.readTree(lines[1]);
    assertThat(second.path("stack_trace").asText())
        .startsWith("java.lang.IllegalArgumentException: bad card [REDACTED:CREDIT_CARD]")
        .contains("at dev.bridle.observability.log.LogSetupTest");
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(KEY).doesNotContain("4111");
  }

  @Test
  void textLinesAreRedactedToo() {
    LogSetup.configure(context, LogSetup.Format.TEXT, Level.WARN, out);
    Logger log = context.getLogger("dev.bridle.test");
    log.info("quiet");
    log.warn("key {}", KEY, new IllegalStateException("with " + KEY));

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("WARN  [")
        .contains("dev.bridle.test - key [REDACTED:API_KEY]")
        .contains("java.lang.IllegalStateException: with [REDACTED:API_KEY]")
        .doesNotContain("quiet")
        .doesNotContain(KEY);
  }

  @Test
  void theEnvironmentChoosesFormatAndLevelAndBadValuesAreNamed() {
    assertThat(LogSetup.format(null)).isEqualTo(LogSetup.Format.TEXT);
    assertThat(LogSetup.format(" JSON ")).isEqualTo(LogSetup.Format.JSON);
    assertThat(LogSetup.level(null, Level.WARN)).isEqualTo(Level.WARN);
    assertThat(LogSetup.level("debug", Level.WARN)).isEqualTo(Level.DEBUG);
    assertThatThrownBy(() -> LogSetup.format("xml"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("BRIDLE_LOG_FORMAT must be 'json' or 'text', but was 'xml'");
    assertThatThrownBy(() -> LogSetup.level("loud", Level.INFO))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("BRIDLE_LOG_LEVEL")
        .hasMessageContaining("'loud'");
    assertThatThrownBy(
            () ->
                LogSetup.configureFromEnvironment(Map.of("BRIDLE_LOG_FORMAT", "yaml"), Level.INFO))
        .hasMessageContaining("'yaml'");
  }
}
