package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompetitorDomainsTest {

  private final CompetitorDomains competitors = CompetitorDomains.bundled();

  @Test
  void theBundledBlocklistHasThreeFictionalDomains() {
    assertThat(competitors.domains())
        .containsExactlyInAnyOrder(
            "rivalreach.example", "pipelinepeak.example", "leadloom.example");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "New lead L-1007 signed up: Derek Holloway <derek.holloway@rivalreach.example>",
        "new sign-up: CHLOE.RAYNOR@EU.LEADLOOM.EXAMPLE",
        "Company website: https://www.pipelinepeak.example/pricing",
        "they work at pipelinepeak.example."
      })
  void anInputNamingACompetitorIsRefused(String input) {
    assertThat(competitors.screen(input))
        .hasValueSatisfying(
            refusal ->
                assertThat(refusal.reason())
                    .startsWith("input refused: ")
                    .endsWith(
                        " belongs to a competitor on the blocklist; competitors' leads are not"
                            + " enriched"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "New lead L-1004 signed up: Mara Quist <mara.quist@fernhollow.example>, Fernhollow Bakery",
        "someone@notrivalreach.example asked about rivalreach",
        "pipelinepeak.example.org is somebody else",
        ""
      })
  void anInputNamingNoCompetitorIsAdmitted(String input) {
    assertThat(competitors.screen(input)).isEmpty();
  }

  @Test
  void everyBundledLeadAtACompetitorIsRefusedAndEveryOtherAdmitted() {
    List<Lead> leads = LeadCrm.bundledLeads();

    assertThat(leads)
        .filteredOn(lead -> competitors.blocks(lead.email()))
        .extracting(Lead::id)
        .containsExactly("L-1007", "L-1013", "L-1022", "L-1026");
    assertThat(leads)
        .allSatisfy(
            lead ->
                assertThat(competitors.screen(signUp(lead)).isPresent())
                    .as(lead.email())
                    .isEqualTo(competitors.blocks(lead.email())));
  }

  @Test
  void aBlankOrSpacedDomainIsRefusedWhenTheListIsBuilt() {
    assertThatThrownBy(() -> CompetitorDomains.of(List.of("rival reach.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a competitor domain must be one word like rivalreach.example, but was 'rival"
                + " reach.example'");
    assertThatThrownBy(() -> CompetitorDomains.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a competitor blocklist needs at least one domain");
  }

  private static String signUp(Lead lead) {
    return "New lead "
        + lead.id()
        + " signed up: "
        + lead.name()
        + " <"
        + lead.email()
        + ">, "
        + lead.company();
  }
}
