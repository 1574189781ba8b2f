package dev.bridle.examples.leads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bridle.core.policy.ArgumentConstraint;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Provenance;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.policy.Verdict;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * This example's {@code workflow.yaml}, as the tests read it.
 *
 * <p>The workflow loader of this branch does not know the {@code policy:} section yet (it is being
 * added), so {@link #definition()} loads the file without it, and {@link #policy()} is the same
 * policy built in Java. {@code WorkflowPolicyTest} checks that the two say the same thing. Once the
 * loader reads {@code policy:}, {@link #definition()} should load the file as it is and the tests
 * should use the policy it returns.
 */
final class WorkflowFile {

  static final Path PATH = Path.of("workflow.yaml");

  /** The top-level {@code policy:} block: its line and every indented or comment line after it. */
  private static final Pattern POLICY_SECTION =
      Pattern.compile("(?m)^(# .*\\n)*policy:.*\\n(^([ #].*)?\\n)*");

  private WorkflowFile() {}

  static String text() {
    try {
      return Files.readString(PATH);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The workflow, loaded by Bridle's own loader, without its {@code policy:} section. */
  static WorkflowDefinition definition() {
    String withoutPolicy = POLICY_SECTION.matcher(text()).replaceFirst("");
    if (withoutPolicy.contains("policy:")) {
      throw new IllegalStateException("the policy section of " + PATH + " was not cut out");
    }
    return Workflows.parse(PATH.toString(), withoutPolicy);
  }

  /** The {@code policy:} section as a tree, to compare with {@link #policy()}. */
  static JsonNode policySection() {
    try {
      return new YAMLMapper().readTree(text()).required("policy");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The workflow's {@code policy:} section, built in Java. */
  static Policy policy() {
    return Policy.builder()
        .mode(Mode.PROPOSE)
        .maxUnapprovedEffect(Effect.READ)
        .rule(Rule.allow("get_*").withId("reads"))
        .rule(Rule.allow("find_public_profile").withId("public-profiles"))
        .rule(Rule.ask("update_lead_bio").withId("bio-needs-a-human"))
        .rule(Rule.ask("update_lead").withId("lead-fields-need-a-human"))
        .constraint(new ArgumentConstraint.WritableFields("update_lead", "changes", Set.of("bio")))
        .constraint(
            new ArgumentConstraint.Recipients(
                "find_public_profile",
                "email",
                Set.of(),
                Set.of("rivalreach.example", "pipelinepeak.example", "leadloom.example")))
        .provenance(new Provenance(List.of("find_public_profile"), Verdict.ASK))
        .build();
  }
}
