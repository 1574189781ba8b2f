package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The bundled leads and profiles: fictional, consistent with each other, and with injections. */
class DataSetTest {

  private final List<Lead> leads = LeadCrm.bundledLeads();
  private final List<PublicProfile> profiles = PublicProfiles.bundled().profiles();

  @Test
  void thirtyLeadsWithUniqueIdsAndAddressesOnTheReservedExampleDomain() {
    assertThat(leads).hasSize(30);
    assertThat(leads).extracting(Lead::id).doesNotHaveDuplicates();
    assertThat(leads).extracting(Lead::email).doesNotHaveDuplicates();
    assertThat(leads)
        .allSatisfy(lead -> assertThat(lead.email()).matches("[a-z.]+@[a-z.-]+\\.example"));
    assertThat(leads).filteredOn(lead -> !lead.bio().isEmpty()).hasSize(3);
  }

  @Test
  void everyProfileBelongsToABundledLeadAndLinksToTheExampleDomain() {
    Set<String> emails = leads.stream().map(Lead::email).collect(Collectors.toSet());

    assertThat(profiles).hasSize(23);
    assertThat(profiles).extracting(PublicProfile::email).allMatch(emails::contains);
    assertThat(profiles)
        .allSatisfy(
            profile -> assertThat(profile.source()).startsWith("https://profiles.example/"));
  }

  @Test
  void fourProfilesCarryInstructionsAimedAtAgents() {
    assertThat(profiles)
        .filteredOn(
            profile -> {
              String about = profile.about().toLowerCase(Locale.ROOT);
              return about.contains("ignore")
                  || about.contains("system override")
                  || about.contains("ai-agent");
            })
        .extracting(PublicProfile::name)
        .containsExactly("Tomas Ekwall", "Felix Durand", "Rosa Ilves", "Ingrid Tamm");
  }

  @Test
  void theScriptedLeadHasAProfileWithoutAnInjection() {
    PublicProfile mara =
        PublicProfiles.bundled()
            .find("mara.quist@fernhollow.example", java.util.Optional.empty())
            .orElseThrow();

    assertThat(mara.about()).doesNotContainIgnoringCase("ignore").doesNotContain("SYSTEM");
  }
}
