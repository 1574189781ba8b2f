package dev.bridle.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import dev.bridle.core.tool.ToolProviders;
import org.junit.jupiter.api.Test;

class ToolProviderDiscoveryTest {

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void theServiceLoaderFindsSupportTriage() {
    assertThat(ToolProviders.available(loader)).contains("support-triage");

    ToolProvider provider = ToolProviders.find("support-triage", loader);

    assertThat(provider).isInstanceOf(SupportTriageTools.class);
    assertThat(provider.tools()).extracting(Tool::name).contains("classify_ticket", "draft_reply");
  }

  @Test
  void eachLookupGetsItsOwnDesk() {
    SupportTriageTools first = (SupportTriageTools) ToolProviders.find("support-triage", loader);
    SupportTriageTools second = (SupportTriageTools) ToolProviders.find("support-triage", loader);

    assertThat(first.desk()).isNotSameAs(second.desk());
  }
}
