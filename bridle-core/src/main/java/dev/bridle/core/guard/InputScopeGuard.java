package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks that a task fits the workflow's declared scope, at {@link GuardStage#INPUT}. A task is in
 * scope when it contains one of the scope keywords (whole words, any case), matches one of the
 * scope patterns (regular expressions, case-insensitive, searched anywhere in the task), or, when
 * it does neither, the {@link Classifier} hook says it is. Keywords and patterns are the cheap
 * path; the classifier (an embedding similarity, a small model, a rules engine) decides the rest.
 *
 * <p>Out of scope, the guard blocks (default) or escalates to a human.
 */
public final class InputScopeGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "input-scope";

  /**
   * Decides whether a task is within a workflow's scope. Must be thread-safe; an exception blocks
   * the task (guards fail closed).
   */
  @FunctionalInterface
  public interface Classifier {
    /** True when {@code task} is something the workflow is meant to handle. */
    boolean inScope(String task);
  }

  private final String name;
  private final Optional<TermList> keywords;
  private final List<Pattern> patterns;
  private final Optional<Classifier> classifier;
  private final GuardAction action;

  private InputScopeGuard(Builder b) {
    this.name = b.name;
    this.keywords =
        b.keywords.isEmpty()
            ? Optional.empty()
            : Optional.of(TermList.of("guard '" + name + "': keywords", b.keywords));
    List<Pattern> compiled = new ArrayList<>();
    for (String regex : b.patterns) {
      compiled.add(
          GuardSettings.compile(
              name, "pattern", regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }
    this.patterns = List.copyOf(compiled);
    this.classifier = Optional.ofNullable(b.classifier);
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
    return Set.of(GuardStage.INPUT);
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    String task = subject.text();
    if (keywords.isPresent() && !keywords.get().find(task).isEmpty()) {
      return GuardResult.pass();
    }
    for (Pattern pattern : patterns) {
      if (pattern.matcher(BoundedText.of(task, "scope pattern '" + pattern + "'")).find()) {
        return GuardResult.pass();
      }
    }
    if (classifier.isPresent() && classifier.get().inScope(task)) {
      return GuardResult.pass();
    }
    return action.result(reason(subject.workflow()));
  }

  private String reason(String workflow) {
    List<String> why = new ArrayList<>();
    keywords.ifPresent(
        k -> why.add("mentions none of its keywords (" + GuardSettings.list(k.terms(), 5) + ")"));
    if (!patterns.isEmpty()) {
      why.add("matches none of its patterns");
    }
    if (classifier.isPresent()) {
      why.add("the scope classifier rejected it");
    }
    return "the task is outside the scope of workflow '"
        + workflow
        + "': it "
        + String.join(", ", why).replaceFirst(", (?=[^,]*$)", " and ");
  }

  /** Builds an {@link InputScopeGuard}; at least one keyword, pattern or classifier is required. */
  public static final class Builder {
    private String name = NAME;
    private final List<String> keywords = new ArrayList<>();
    private final List<String> patterns = new ArrayList<>();
    private Classifier classifier;
    private GuardAction action = GuardAction.BLOCK;

    private Builder() {}

    /** The guard's name in trips (default {@code input-scope}). */
    public Builder name(String name) {
      this.name = GuardSettings.requireName(name);
      return this;
    }

    /** Words or phrases any of which puts a task in scope. */
    public Builder keywords(Collection<String> words) {
      keywords.addAll(words);
      return this;
    }

    /** Regular expressions (searched, case-insensitive) any of which puts a task in scope. */
    public Builder patterns(Collection<String> regexes) {
      patterns.addAll(regexes);
      return this;
    }

    /** Decides the tasks that match no keyword and no pattern. */
    public Builder classifier(Classifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /** What to do with an out-of-scope task: {@code BLOCK} (default) or {@code ESCALATE}. */
    public Builder action(GuardAction action) {
      this.action =
          GuardAction.require(name, action, List.of(GuardAction.BLOCK, GuardAction.ESCALATE));
      return this;
    }

    public InputScopeGuard build() {
      if (keywords.isEmpty() && patterns.isEmpty() && classifier == null) {
        throw new ConfigurationException(
            "guard '" + name + "' needs at least one of keywords, patterns or a classifier");
      }
      return new InputScopeGuard(this);
    }
  }
}
