package dev.bridle.core.guard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps words and phrases the workflow must not use out of the model's output: promises ("we
 * guarantee"), legal terms, profanity, competitor names. Terms match whole words in any case, with
 * any white space between the words of a phrase, after folding full-width letters and removing
 * zero-width characters.
 *
 * <p>At {@link GuardStage#TOOL_ARGUMENTS} the guard reads each decoded value of the arguments
 * ({@link GuardSubject#parts()}) and names the arguments that use a term.
 *
 * <p>By default the model is reasked with the terms it used; the guard can also block, escalate or
 * only flag.
 */
public final class ProhibitedLanguageGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "prohibited-language";

  private final String name;
  private final Set<GuardStage> stages;
  private final TermList terms;
  private final GuardAction action;

  private ProhibitedLanguageGuard(Builder b) {
    this.name = b.name;
    this.stages = GuardSettings.requireStages(name, b.stages);
    this.terms = TermList.of("guard '" + name + "': terms", b.terms);
    this.action = b.action;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<GuardStage> stages() {
    return stages;
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    Set<String> used = new LinkedHashSet<>();
    List<GuardSubject.Part> where = new ArrayList<>();
    for (GuardSubject.Part part : subject.parts()) {
      List<String> found = terms.find(part.text());
      if (!found.isEmpty()) {
        used.addAll(found);
        where.add(part);
      }
    }
    if (used.isEmpty()) {
      return GuardResult.pass();
    }
    String quoted = used.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "));
    if (action == GuardAction.REASK) {
      return GuardResult.reask(
          "Your "
              + (subject.stage() == GuardStage.TOOL_ARGUMENTS ? "tool call" : "answer")
              + " uses language this workflow prohibits: "
              + quoted
              + ". Write it again without "
              + (used.size() == 1 ? "this term" : "these terms")
              + " or their close variants.");
    }
    return action.result(
        subject.describe(where)
            + (subject.describesMany(where) ? " use" : " uses")
            + " prohibited language: "
            + quoted);
  }

  /** Builds a {@link ProhibitedLanguageGuard}; at least one term is required. */
  public static final class Builder {
    private String name = NAME;
    private Set<GuardStage> stages = EnumSet.of(GuardStage.MODEL_OUTPUT);
    private final List<String> terms = new ArrayList<>();
    private GuardAction action = GuardAction.REASK;

    private Builder() {}

    /** The guard's name in trips (default {@code prohibited-language}). */
    public Builder name(String name) {
      this.name = GuardSettings.requireName(name);
      return this;
    }

    /** The stages to check (default {@code model-output}). */
    public Builder stages(Collection<GuardStage> stages) {
      this.stages = EnumSet.copyOf(GuardSettings.requireStages(name, stages));
      return this;
    }

    /** Prohibited words or phrases. */
    public Builder terms(Collection<String> prohibited) {
      terms.addAll(prohibited);
      return this;
    }

    /**
     * {@code REASK} (default; blocks at {@code input}), {@code BLOCK}, {@code ESCALATE}, {@code
     * FLAG}.
     */
    public Builder action(GuardAction action) {
      this.action =
          GuardAction.require(
              name,
              action,
              List.of(
                  GuardAction.REASK, GuardAction.BLOCK, GuardAction.ESCALATE, GuardAction.FLAG));
      return this;
    }

    public ProhibitedLanguageGuard build() {
      return new ProhibitedLanguageGuard(this);
    }
  }
}
