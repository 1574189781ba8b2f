package dev.bridle.core.policy;

import java.util.List;
import java.util.Objects;

/**
 * A permission rule: who (a user name, {@code role:<name>} or {@code *}), in which workflow, which
 * tools and which resources, and the verdict. Patterns are globs ({@code *} any run of characters,
 * {@code ?} one). The first rule that matches a call decides; when none does, the call is denied.
 *
 * @param id how decisions name the rule; {@code rules[i]} when not given
 * @param principals users or {@code role:<name>} entries; {@code *} for anyone
 * @param workflow glob over the workflow name
 * @param tools glob over the tool name
 * @param resources glob over the call's resource (the value of the tool's resource argument, or the
 *     tool name when it has none)
 * @param verdict {@link Verdict#ALLOW}, {@link Verdict#DENY} or {@link Verdict#ASK}
 */
public record Rule(
    String id,
    List<String> principals,
    String workflow,
    String tools,
    String resources,
    Verdict verdict) {

  public Rule {
    Objects.requireNonNull(id, "id");
    principals = List.copyOf(principals);
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(tools, "tools");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(verdict, "verdict");
    if (verdict == Verdict.SHADOW) {
      throw new IllegalArgumentException("rule " + id + ": a rule allows, denies or asks");
    }
  }

  public static Rule allow(String tools) {
    return new Rule("allow " + tools, List.of("*"), "*", tools, "*", Verdict.ALLOW);
  }

  public static Rule deny(String tools) {
    return new Rule("deny " + tools, List.of("*"), "*", tools, "*", Verdict.DENY);
  }

  public static Rule ask(String tools) {
    return new Rule("ask " + tools, List.of("*"), "*", tools, "*", Verdict.ASK);
  }

  public Rule withId(String newId) {
    return new Rule(newId, principals, workflow, tools, resources, verdict);
  }

  public Rule forPrincipals(List<String> who) {
    return new Rule(id, who, workflow, tools, resources, verdict);
  }

  public Rule onResources(String glob) {
    return new Rule(id, principals, workflow, tools, glob, verdict);
  }

  public Rule inWorkflow(String glob) {
    return new Rule(id, principals, glob, tools, resources, verdict);
  }
}
