package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.Change;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolOutput;
import dev.bridle.examples.leads.LeadEnrichmentTools.BioUpdated;
import dev.bridle.examples.leads.LeadEnrichmentTools.LeadUpdated;
import dev.bridle.testkit.ToolInvocations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four tools through their real schemas, against a real SQLite CRM in a temp directory. */
class LeadEnrichmentToolsTest {

  private static final String AGENT = "agent:lead-enrichment@1";

  private static final Instant START = Instant.parse("2026-11-20T10:15:30Z");
  private static final String BIO =
      "Head baker and co-owner of Fernhollow Bakery, a sourdough bakery with eleven staff.";

  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  private SteppingClock clock;
  private LeadEnrichmentTools tools;
  private ToolInvocations invocations;

  @BeforeEach
  void toolsOnAFreshCrm() {
    clock = new SteppingClock(START);
    tools =
        new LeadEnrichmentTools(LeadCrm.at(dir.resolve("crm.db")), PublicProfiles.bundled(), clock);
    invocations = new ToolInvocations(tools.tools(), RunId.of("run-leads-1"), AGENT);
  }

  @Test
  void theToolsDeclareTheirEffectsAndWhatPolicyNeedsToKnow() {
    Map<String, Tool<?>> byName =
        tools.tools().stream().collect(Collectors.toMap(Tool::name, tool -> tool));

    assertThat(byName)
        .containsOnlyKeys("get_lead", "find_public_profile", "update_lead_bio", "update_lead");
    assertThat(byName.get("get_lead").facts().untrustedResults()).isFalse();
    assertThat(byName.get("find_public_profile").facts())
        .satisfies(
            facts -> {
              assertThat(facts.effect()).hasToString("READ");
              assertThat(facts.untrustedResults()).isTrue();
            });
    for (String write : new String[] {"update_lead_bio", "update_lead"}) {
      assertThat(byName.get(write).facts())
          .as(write)
          .satisfies(
              facts -> {
                assertThat(facts.effect()).hasToString("WRITE");
                assertThat(facts.reversible()).isTrue();
                assertThat(facts.resourceArgument()).isEqualTo("lead_id");
                assertThat(facts.sensitiveArguments()).containsExactly("lead_id");
              });
      assertThat(byName.get(write).idempotent()).as(write).isTrue();
    }
  }

  @Test
  void getLeadReadsTheRow() throws Exception {
    Lead lead = (Lead) invocations.call("get_lead", "{\"lead_id\":\"L-1004\"}");

    assertThat(lead.email()).isEqualTo("mara.quist@fernhollow.example");
    assertThat(lead.company()).isEqualTo("Fernhollow Bakery");
  }

  @Test
  void getLeadOfAnUnknownIdFailsWithTheKnownRange() {
    assertThatThrownBy(() -> invocations.call("get_lead", "{\"lead_id\":\"L-0001\"}"))
        .isInstanceOf(UnknownLeadException.class)
        .hasMessage("no lead L-0001 in the CRM; ids are L-1001..L-1030");
    assertThat(invocations.rejection("get_lead", "{\"lead_id\":\"1004\"}"))
        .contains("lead_id", "pattern");
  }

  @Test
  void findPublicProfileMatchesByEmailThenByNameAndSaysWhenThereIsNone() throws Exception {
    Object byEmail =
        invocations.call("find_public_profile", "{\"email\":\"MARA.QUIST@fernhollow.example\"}");
    Object byName =
        invocations.call(
            "find_public_profile", "{\"email\":\"mara@gmail.example\",\"name\":\"Mara Quist\"}");
    Object none =
        invocations.call(
            "find_public_profile",
            "{\"email\":\"priya@northlane-dental.example\",\"name\":\"Priya Okonkwo-Hale\"}");

    assertThat(byEmail)
        .isInstanceOfSatisfying(
            PublicProfile.class,
            profile -> assertThat(profile.headline()).contains("Fernhollow Bakery"));
    assertThat(byName).isEqualTo(byEmail);
    assertThat(none)
        .isEqualTo(
            "no public profile found for priya@northlane-dental.example or Priya Okonkwo-Hale");
  }

  @Test
  void updateLeadBioWritesOnlyTheBioStampsTheAgentAndReportsItsInverse() throws Exception {
    Lead before = tools.crm().require("L-1004");
    clock.advance(Duration.ofMinutes(5));

    ToolOutput output = (ToolOutput) invocations.call("update_lead_bio", args("L-1004", BIO));

    Lead after = tools.crm().require("L-1004");
    assertThat(after)
        .usingRecursiveComparison()
        .ignoringFields("bio", "updatedBy", "updatedAt")
        .isEqualTo(before);
    assertThat(after.bio()).isEqualTo(BIO);
    assertThat(after.updatedBy()).isEqualTo(AGENT);
    assertThat(after.updatedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    assertThat(tools.crm().leads())
        .filteredOn(lead -> !lead.id().equals("L-1004"))
        .allSatisfy(lead -> assertThat(lead.updatedBy()).isEqualTo("signup-form"));

    assertThat(output.result()).isEqualTo(new BioUpdated("L-1004", BIO, "", AGENT, "updated"));
    Change change = output.change();
    assertThat(change.resource()).isEqualTo("crm:lead/L-1004");
    assertThat(change.before()).isEqualTo(json.readTree("{\"bio\":\"\"}"));
    assertThat(change.after()).isEqualTo(json.valueToTree(Map.of("bio", BIO)));
    assertThat(change.inverse().toolName()).isEqualTo("update_lead_bio");
    assertThat(change.inverse().arguments())
        .isEqualTo(json.readTree("{\"lead_id\":\"L-1004\",\"bio\":\"\"}"));
  }

  @Test
  void theInverseCallRestoresThePreviousBio() throws Exception {
    String previous = tools.crm().require("L-1002").bio();
    assertThat(previous).isNotEmpty();
    ToolOutput output =
        (ToolOutput) invocations.call("update_lead_bio", args("L-1002", "Candle maker."));
    JsonNode inverse = output.change().inverse().arguments();

    ToolOutput undo =
        (ToolOutput)
            invocations.call(
                output.change().inverse().toolName(), json.writeValueAsString(inverse));

    assertThat(tools.crm().require("L-1002").bio()).isEqualTo(previous);
    assertThat(undo.change().before()).isEqualTo(json.valueToTree(Map.of("bio", "Candle maker.")));
    assertThat(undo.change().after()).isEqualTo(json.valueToTree(Map.of("bio", previous)));
    assertThat(tools.crm().writesOf("L-1002")).hasSize(2);
  }

  @Test
  void aRepeatedCallWithTheSameIdempotencyKeyWritesOnce() throws Exception {
    ToolOutput first =
        (ToolOutput) invocations.callAs("call_7", "update_lead_bio", args("L-1004", BIO));
    clock.advance(Duration.ofMinutes(1));

    ToolOutput again =
        (ToolOutput) invocations.callAs("call_7", "update_lead_bio", args("L-1004", BIO));

    assertThat(tools.crm().writesOf("L-1004")).hasSize(1);
    assertThat(tools.crm().require("L-1004").updatedAt()).isEqualTo(START);
    assertThat(again.change()).isEqualTo(first.change());
    assertThat(((BioUpdated) again.result()).status()).startsWith("already done");
  }

  @Test
  void updateLeadChangesTheGivenFieldsAndIsUndoneByItself() throws Exception {
    String notes = tools.crm().require("L-1009").notes();
    ToolOutput output =
        (ToolOutput)
            invocations.call(
                "update_lead", "{\"lead_id\":\"L-1009\",\"changes\":{\"bio\":\"Land surveyor.\"}}");

    assertThat(output.result())
        .isInstanceOfSatisfying(
            LeadUpdated.class,
            updated -> {
              assertThat(updated.changed()).containsExactly(Map.entry("bio", "Land surveyor."));
              assertThat(updated.previous())
                  .containsExactly(
                      Map.entry("bio", "Land surveyor; bills by the hour for three field crews."));
            });
    assertThat(tools.crm().require("L-1009").notes()).isEqualTo(notes);

    invocations.call(
        output.change().inverse().toolName(),
        json.writeValueAsString(output.change().inverse().arguments()));

    assertThat(tools.crm().require("L-1009").bio())
        .isEqualTo("Land surveyor; bills by the hour for three field crews.");
  }

  @Test
  void updateLeadOffersOnlyTheEditableFieldsAndNeedsAtLeastOne() {
    assertThat(
            invocations.rejection(
                "update_lead", "{\"lead_id\":\"L-1009\",\"changes\":{\"id\":\"L-0001\"}}"))
        .contains("$.changes", "'id' is not defined");
    assertThatThrownBy(
            () -> invocations.call("update_lead", "{\"lead_id\":\"L-1009\",\"changes\":{}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a lead write needs at least one field to change");
  }

  @Test
  void theInverseOfUpdateLeadNamesOnlyTheFieldsItChanged() throws Exception {
    ToolOutput output =
        (ToolOutput)
            invocations.call(
                "update_lead", "{\"lead_id\":\"L-1011\",\"changes\":{\"notes\":\"Two clinics.\"}}");

    assertThat(output.change().inverse().arguments())
        .isEqualTo(
            json.readTree(
                "{\"lead_id\":\"L-1011\",\"changes\":{\"notes\":\"Clinic with two"
                    + " locations.\"}}"));
  }

  @Test
  void theBioPreviewShowsTheFieldBeforeAndAfter() throws Exception {
    assertThat(invocations.preview("update_lead_bio", args("L-1004", BIO)))
        .isEqualTo(
            "Set the Bio of L-1004 (Mara Quist, Fernhollow Bakery)\n"
                + "  before: (empty)\n"
                + "  after:  \""
                + BIO
                + "\"");
    assertThat(
            invocations.preview(
                "update_lead",
                "{\"lead_id\":\"L-1011\",\"changes\":{\"email\":\"felix@harvest-inbox.example\"}}"))
        .isEqualTo(
            "Change L-1011 (Felix Durand, Ottervale Veterinary)\n"
                + "  email: \"felix.durand@ottervale-vets.example\" ->"
                + " \"felix@harvest-inbox.example\"");
  }

  private String args(String leadId, String bio) throws Exception {
    return json.writeValueAsString(Map.of("lead_id", leadId, "bio", bio));
  }
}
