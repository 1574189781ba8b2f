package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import dev.bridle.core.tool.ToolProviders;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolProviderDiscoveryTest {

  private final ClassLoader loader = getClass().getClassLoader();

  @TempDir Path dir;

  @Test
  void theServiceLoaderFindsLeadEnrichmentAndItOpensTheCrmOnlyWhenAToolRuns() throws Exception {
    Path file = dir.resolve("from-property/crm.db");
    String previous = System.setProperty(LeadCrm.LOCATION_PROPERTY, file.toString());
    try {
      assertThat(ToolProviders.available(loader)).contains("lead-enrichment");

      ToolProvider provider = ToolProviders.find("lead-enrichment", loader);

      assertThat(provider).isInstanceOf(LeadEnrichmentTools.class);
      assertThat(provider.tools())
          .extracting(Tool::name)
          .containsExactly("get_lead", "find_public_profile", "update_lead_bio", "update_lead");
      LeadEnrichmentTools tools = (LeadEnrichmentTools) provider;
      assertThat(tools.crm().file()).isEqualTo(file.toAbsolutePath());
      assertThat(file).doesNotExist();

      assertThat(tools.crm().require("L-1004").name()).isEqualTo("Mara Quist");
      assertThat(file).isRegularFile();
    } finally {
      if (previous == null) {
        System.clearProperty(LeadCrm.LOCATION_PROPERTY);
      } else {
        System.setProperty(LeadCrm.LOCATION_PROPERTY, previous);
      }
    }
  }
}
