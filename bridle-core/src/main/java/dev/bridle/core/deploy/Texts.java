package dev.bridle.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Small text helpers for messages: never more of what a person wrote than a message needs. */
final class Texts {

  private Texts() {}

  /** At most {@code max} characters of {@code text}, with an ellipsis when cut. */
  static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    if (text.length() <= max) {
      return text;
    }
    int end = max;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /** The JSON type of {@code node} in words: object, array, string, number, boolean, null. */
  static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  /** {@code rate} as a percentage with one decimal, e.g. {@code 93.5%}. */
  static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  /** A workflow name checked for the stores: not blank, at most 200 characters. */
  static String workflow(String workflow) {
    if (workflow == null || workflow.isBlank()) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID, "a workflow name is required, but was blank");
    }
    if (workflow.length() > DeploymentEvidence.MAX_NAME_CHARS) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          "a workflow name must be at most "
              + DeploymentEvidence.MAX_NAME_CHARS
              + " characters, but was "
              + workflow.length());
    }
    return workflow;
  }

  /** A person's or system's name checked: not blank, at most 200 characters. */
  static String actor(String field, String name) {
    if (name == null || name.isBlank()) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID, field + " is required, but was blank");
    }
    if (name.length() > DeploymentEvidence.MAX_NAME_CHARS) {
      throw new DeploymentException(
          DeploymentException.Reason.INVALID,
          field
              + " must be at most "
              + DeploymentEvidence.MAX_NAME_CHARS
              + " characters, but was "
              + name.length());
    }
    return name;
  }
}
