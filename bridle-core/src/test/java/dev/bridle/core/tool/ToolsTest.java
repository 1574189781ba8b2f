package dev.bridle.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.RunId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolsTest {

  record Lookup(String id) {}

  public static final class Crm {
    @AgentTool(description = "Find a lead", idempotent = true, timeoutMillis = 2000)
    public String findLead(Lookup lookup) {
      return "lead " + lookup.id();
    }

    @AgentTool(name = "whoami", description = "The acting agent", effect = Effect.READ)
    public String identity(ToolContext context) {
      return context.agent();
    }

    public String notATool() {
      return "";
    }
  }

  @Test
  void buildsOneToolPerAnnotatedMethod() throws Exception {
    List<Tool<?>> tools = Tools.fromAnnotated(new Crm());

    assertThat(tools).extracting(Tool::name).containsExactly("find_lead", "whoami");
    Tool<?> findLead = tools.get(0);
    assertThat(findLead.idempotent()).isTrue();
    assertThat(findLead.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(findLead.argumentType()).isEqualTo(Lookup.class);
    assertThat(tools.get(1).argumentType()).isEqualTo(NoArguments.class);
    assertThat(invoke(findLead, new Lookup("L-1"))).isEqualTo("lead L-1");
    assertThat(invoke(tools.get(1), new NoArguments())).isEqualTo("agent:crm@1");
  }

  @Test
  void aClassWithoutToolsIsAConfigurationError() {
    assertThatThrownBy(() -> Tools.fromAnnotated("plain string"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no public method annotated with @AgentTool");
  }

  @SuppressWarnings("unchecked")
  private static Object invoke(Tool<?> tool, Object arguments) throws Exception {
    ToolContext context =
        new ToolContext(RunId.of("r1"), "c1", "r1/c1", "agent:crm@1", Instant.EPOCH);
    return ((ToolHandler<Object>) tool.handler()).invoke(arguments, context);
  }
}
