package dev.bridle.examples.expense;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This example's {@code workflow.yaml}, as the tests read it. */
final class WorkflowFile {

  static final Path PATH = Path.of("workflow.yaml");

  private WorkflowFile() {}

  static String text() {
    try {
      return Files.readString(PATH);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The workflow, loaded by Bridle's own loader. */
  static WorkflowDefinition definition() {
    return Workflows.parse(PATH.toString(), text());
  }

  /** The {@code policy:} section as a tree, to compare with {@link #policy()}. */
  static JsonNode policySection() {
    try {
      return new YAMLMapper().readTree(text()).required("policy");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The workflow's {@code policy:} section, as the loader read it. */
  static Policy policy() {
    return definition().policy();
  }
}
