package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.policy.ArgumentConstraint;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.PolicyDecision;
import dev.bridle.core.policy.PolicyRequest;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workflow's policy, decided directly: what runs, what waits for a human, what is refused. */
class WorkflowPolicyTest {

  private final ObjectMapper json = new ObjectMapper();
  private final Policy policy = WorkflowFile.policy();

  @TempDir Path dir;

  @Test
  void theJavaPolicyIsTheOneTheWorkflowFileDeclares() {
    JsonNode section = WorkflowFile.policySection();

    assertThat(section.path("mode").asText()).isEqualTo("propose");
    assertThat(policy.mode()).isEqualTo(Mode.PROPOSE);
    assertThat(section.path("max-unapproved-effect").asText()).isEqualTo("read");
    assertThat(policy.maxUnapprovedEffect()).isEqualTo(Effect.READ);
    List<String> fileRules = new ArrayList<>();
    section
        .path("rules")
        .forEach(
            rule ->
                fileRules.add(
                    rule.path("id").asText()
                        + " "
                        + rule.path("tools").asText()
                        + " "
                        + (rule.path("allow").asBoolean()
                            ? "ALLOW"
                            : rule.path("verdict").asText().toUpperCase())));
    assertThat(fileRules)
        .containsExactlyElementsOf(
            policy.rules().stream()
                .map(rule -> rule.id() + " " + rule.tools() + " " + rule.verdict())
                .toList());
    JsonNode writable = section.path("constraints").get(0);
    assertThat(writable.path("tools").asText()).isEqualTo("update_lead");
    assertThat(strings(writable.path("writable-fields").path("allowed"))).containsExactly("bio");
    JsonNode recipients = section.path("constraints").get(1);
    assertThat(recipients.path("tools").asText()).isEqualTo("find_public_profile");
    assertThat(recipients.path("recipients").path("argument").asText()).isEqualTo("email");
    assertThat(strings(recipients.path("recipients").path("block")))
        .as("the policy's blocklist is the bundled competitor-domains.txt")
        .isEqualTo(new TreeSet<>(CompetitorDomains.bundled().domains()));
    assertThat(policy.constraints())
        .containsExactly(
            new ArgumentConstraint.WritableFields("update_lead", "changes", Set.of("bio")),
            new ArgumentConstraint.Recipients(
                "find_public_profile", "email", Set.of(), CompetitorDomains.bundled().domains()));
    assertThat(strings(section.path("provenance").path("untrusted-tools")))
        .containsExactlyElementsOf(policy.provenance().untrustedTools());
    assertThat(section.path("provenance").path("on-tainted").asText()).isEqualTo("ask");
  }

  @Test
  void readsRunWithoutAHuman() {
    assertThat(decide("get_lead", "{\"lead_id\":\"L-1004\"}")).satisfies(allowedBy("reads"));
    assertThat(decide("find_public_profile", "{\"email\":\"mara.quist@fernhollow.example\"}"))
        .satisfies(allowedBy("public-profiles"));
  }

  @Test
  void theBioUpdateWaitsForAHuman() {
    PolicyDecision decision =
        decide("update_lead_bio", "{\"lead_id\":\"L-1004\",\"bio\":\"Baker.\"}");

    assertThat(decision.verdict()).isEqualTo(Verdict.ASK);
    assertThat(decision.rule()).isEqualTo("bio-needs-a-human");
  }

  @Test
  void inProposeModeEvenAnAllowRuleCannotLetAWriteThrough() {
    Policy permissive =
        Policy.builder()
            .mode(Mode.PROPOSE)
            .rule(Rule.allow("*"))
            .maxUnapprovedEffect(Effect.DESTRUCTIVE)
            .build();

    PolicyDecision decision =
        permissive.decide(
            request("update_lead_bio", "{\"lead_id\":\"L-1004\",\"bio\":\"Baker.\"}"));

    assertThat(decision.verdict()).isEqualTo(Verdict.ASK);
    assertThat(decision.rule()).isEqualTo("mode:PROPOSE");
  }

  @Test
  void theWritableFieldsConstraintDeniesAnyFieldButTheBio() {
    PolicyDecision email =
        decide(
            "update_lead",
            "{\"lead_id\":\"L-1011\",\"changes\":{\"email\":\"felix@harvest-inbox.example\"}}");
    PolicyDecision bioAndNotes =
        decide(
            "update_lead",
            "{\"lead_id\":\"L-1011\",\"changes\":{\"bio\":\"Vet.\",\"notes\":\"VIP\"}}");
    PolicyDecision bioOnly =
        decide("update_lead", "{\"lead_id\":\"L-1011\",\"changes\":{\"bio\":\"Vet.\"}}");

    assertThat(email.verdict()).isEqualTo(Verdict.DENY);
    assertThat(email.rule()).isEqualTo("constraint:writable-fields");
    assertThat(email.reason())
        .isEqualTo(
            "only the fields [bio] may be changed through 'changes', but the call changes"
                + " [email]");
    assertThat(bioAndNotes.verdict()).isEqualTo(Verdict.DENY);
    assertThat(bioAndNotes.reason()).endsWith("[notes]");
    assertThat(bioOnly.verdict()).isEqualTo(Verdict.ASK);
    assertThat(bioOnly.rule()).isEqualTo("lead-fields-need-a-human");
  }

  @Test
  void competitorsAreNeverLookedUp() {
    PolicyDecision decision =
        decide("find_public_profile", "{\"email\":\"chloe.raynor@eu.leadloom.example\"}");

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.rule()).isEqualTo("constraint:recipients");
    assertThat(decision.reason()).contains("chloe.raynor@eu.leadloom.example", "blocklist");
  }

  @Test
  void aToolNoRuleNamesIsDeniedByDefault() {
    PolicyDecision decision = decide("delete_lead", "{\"lead_id\":\"L-1004\"}", Effect.WRITE);

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.rule()).isEqualTo("default-deny");
  }

  @Test
  void aLeadIdThatOnlyAProfilePageSuppliedNeedsAHumanForProvenance() {
    LeadEnrichmentTools tools =
        new LeadEnrichmentTools(
            LeadCrm.at(dir.resolve("crm.db")), PublicProfiles.bundled(), Clock.systemUTC());
    String profile =
        tools
            .profiles()
            .find("rosa.ilves@juniper-row.example", java.util.Optional.empty())
            .orElseThrow()
            .toString();
    PolicyRequest.Evidence evidence =
        new PolicyRequest.Evidence(
            List.of("New lead L-1016 signed up: Rosa Ilves <rosa.ilves@juniper-row.example>"),
            List.of(
                new PolicyRequest.Source(
                    "get_lead", tools.crm().require("L-1016").toString(), false),
                new PolicyRequest.Source("find_public_profile", profile, true)));

    PolicyDecision otherLead =
        policy.decide(
            request(
                facts(tools, "update_lead_bio"),
                "{\"lead_id\":\"L-1021\",\"bio\":\"Account closed - do not contact\"}",
                evidence));
    PolicyDecision ownLead =
        policy.decide(
            request(
                facts(tools, "update_lead_bio"),
                "{\"lead_id\":\"L-1016\",\"bio\":\"Architect.\"}",
                evidence));

    assertThat(otherLead.verdict()).isEqualTo(Verdict.ASK);
    assertThat(otherLead.rule()).isEqualTo("provenance");
    assertThat(otherLead.reason())
        .contains("'lead_id'", "only in untrusted content", "find_public_profile");
    assertThat(ownLead.rule()).isEqualTo("bio-needs-a-human");
  }

  // ---- helpers ----

  private PolicyDecision decide(String tool, String arguments) {
    return decide(tool, arguments, null);
  }

  private PolicyDecision decide(String tool, String arguments, Effect effectOfUnknownTool) {
    return policy.decide(request(tool, arguments, effectOfUnknownTool));
  }

  private PolicyRequest request(String tool, String arguments) {
    return request(tool, arguments, null);
  }

  private PolicyRequest request(String tool, String arguments, Effect effectOfUnknownTool) {
    Map<String, Tool<?>> offered =
        new LeadEnrichmentTools(
                LeadCrm.at(dir.resolve("unused.db")), PublicProfiles.bundled(), Clock.systemUTC())
            .tools().stream().collect(Collectors.toMap(Tool::name, t -> t));
    PolicyRequest.ToolFacts facts =
        offered.containsKey(tool)
            ? offered.get(tool).facts()
            : new PolicyRequest.ToolFacts(tool, effectOfUnknownTool, false, List.of(), null, false);
    return request(facts, arguments, PolicyRequest.Evidence.NONE);
  }

  private PolicyRequest request(
      PolicyRequest.ToolFacts facts, String arguments, PolicyRequest.Evidence evidence) {
    try {
      return new PolicyRequest(
          "sales-ops", "lead-enrichment", facts, json.readTree(arguments), evidence);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static PolicyRequest.ToolFacts facts(LeadEnrichmentTools tools, String name) {
    return tools.tools().stream()
        .filter(tool -> tool.name().equals(name))
        .findFirst()
        .orElseThrow()
        .facts();
  }

  private static java.util.function.Consumer<PolicyDecision> allowedBy(String rule) {
    return decision -> {
      assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
      assertThat(decision.rule()).isEqualTo(rule);
    };
  }

  private static TreeSet<String> strings(JsonNode array) {
    TreeSet<String> values = new TreeSet<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
