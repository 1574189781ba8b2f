package dev.bridle.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.EvalRunner;
import dev.bridle.eval.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

  @TempDir static Path dir;

  static EvalReport report;

  @BeforeAll
  static void runASuiteWithAFailure() throws Exception {
    Path workflow = Path.of("src/test/resources/workflows/crm.yaml").toAbsolutePath();
    Path suite = dir.resolve("suite.yaml");
    Files.writeString(
        suite,
        """
        suite: "reports <&> test"
        workflow: %s
        cases:
          - id: passes
            tags: [normal]
            task: Read L1
            script:
              - {call: get_lead, args: {lead_id: L1}}
              - say: "L1 is Mara."
            expect: {output: {contains: Mara}}
          - id: fails
            tags: [normal, unsafe-action]
            description: "An answer with <b>markup</b> & quotes\\"'"
            task: "Read <L1> & tell"
            script:
              - {call: get_lead, args: {lead_id: "<L1>"}}
              - say: "<script>alert('x')</script>"
            expect:
              output: {contains: "Mara & co"}
              tool-calls: [{tool: get_lead, status: executed}]
        """
            .formatted(workflow));
    report =
        EvalRunner.builder().workDirectory(dir.resolve("work")).build().run(Suites.load(suite));
  }

  @Test
  void theJsonReportHasTotalsTagsGateAndEveryCase() throws Exception {
    Path file = dir.resolve("out/report.json");
    JsonReport.write(report, 0.9, file);

    JsonNode json = Json.MAPPER.readTree(Files.readString(file));
    assertThat(json.path("suite").asText()).isEqualTo("reports <&> test");
    assertThat(json.path("workflow").asText()).isEqualTo("crm-test@1");
    assertThat(json.path("model").asText()).isEqualTo("scripted");
    assertThat(json.path("total").asInt()).isEqualTo(2);
    assertThat(json.path("passed").asInt()).isEqualTo(1);
    assertThat(json.path("passRate").asDouble()).isEqualTo(0.5);
    assertThat(json.path("gate").path("minPass").asDouble()).isEqualTo(0.9);
    assertThat(json.path("gate").path("passed").asBoolean()).isFalse();
    assertThat(json.path("byTag").findValuesAsText("tag"))
        .containsExactly("normal", "unsafe-action");
    assertThat(json.path("byTag").get(1).path("passRate").asDouble()).isEqualTo(0.0);
    JsonNode failed = json.path("cases").get(1);
    assertThat(failed.path("id").asText()).isEqualTo("fails");
    assertThat(failed.path("passed").asBoolean()).isFalse();
    assertThat(failed.path("outcome").asText()).isEqualTo("completed");
    assertThat(failed.path("runId").asText()).startsWith("run-");
    assertThat(failed.path("costUsd").decimalValue()).isZero();
    assertThat(failed.path("error").isNull()).isTrue();
    assertThat(failed.path("scores").findValuesAsText("scorer"))
        .containsExactly("tool-calls", "output");
    assertThat(failed.path("scores").get(1).path("detail").asText())
        .contains("the answer does not contain 'Mara & co'");
    assertThat(failed.path("timeline").get(0).path("event").asText()).isEqualTo("RunStarted");
    assertThat(failed.path("timeline").get(0).path("seq").asInt()).isEqualTo(1);
    assertThat(JsonReport.toJson(report).has("gate")).isFalse();
  }

  @Test
  void theHtmlReportEscapesEveryTextAndShowsEachFailureWithItsTimeline() throws Exception {
    Path file = dir.resolve("out/report.html");
    HtmlReport.write(report, 0.5, file);
    String html = Files.readString(file);

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").doesNotContain("<script");
    assertThat(html)
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .contains("reports &lt;&amp;&gt; test")
        .contains("An answer with &lt;b&gt;markup&lt;/b&gt; &amp; quotes&quot;&#39;")
        .doesNotContain("<b>markup</b>");
    assertThat(html).contains("1 of 2 cases passed (50.0%) &mdash; meets the gate of 50.0%");
    assertThat(html).contains("<h2>Pass rate per tag</h2>").contains("<td>unsafe-action</td>");
    assertThat(html).contains("<h2>Failures (1)</h2>").contains("<h3>fails</h3>");
    assertThat(html).contains("the answer does not contain &#39;Mara &amp; co&#39;");
    assertThat(html).contains("Run timeline (").contains("<td>ToolCallCompleted</td>");
    assertThat(html).doesNotContain("<h3>passes</h3>").contains("<td>passes</td>");
    assertThat(HtmlReport.render(report, 0.75)).contains("&mdash; below the gate of 75.0%");
  }

  @Test
  void escapingCoversTheFiveSpecialCharacters() {
    assertThat(HtmlReport.escape("<a href=\"x\">'&'</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
