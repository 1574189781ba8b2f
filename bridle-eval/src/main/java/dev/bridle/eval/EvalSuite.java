package dev.bridle.eval;

import dev.bridle.core.evaluation.RunClassification;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A suite of cases for one workflow, as {@link Suites#load(Path)} reads it (docs/evaluation.md).
 *
 * @param name the suite's name ({@code suite:}, else the file's name)
 * @param source the file it was read from
 * @param workflow the workflow file it evaluates ({@code workflow:}, resolved against the suite's
 *     directory), if it names one
 * @param refusalMarkers phrases that make an answer a refusal ({@code refusal-markers:})
 * @param cases in file order, templates expanded after the cases
 */
public record EvalSuite(
    String name,
    Path source,
    Optional<Path> workflow,
    List<String> refusalMarkers,
    List<EvalCase> cases) {

  public EvalSuite {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(workflow, "workflow");
    refusalMarkers = List.copyOf(refusalMarkers);
    cases = List.copyOf(cases);
  }

  /** A suite with the default refusal markers. */
  public static List<String> defaultRefusalMarkers() {
    return RunClassification.DEFAULT_REFUSAL_MARKERS;
  }

  /** Every tag of every case, sorted. */
  public SortedSet<String> tags() {
    TreeSet<String> tags = new TreeSet<>();
    cases.forEach(c -> tags.addAll(c.tags()));
    return tags;
  }

  /**
   * This suite with only the cases that carry at least one of {@code tags}; all of them when {@code
   * tags} is empty.
   */
  public EvalSuite withTags(Collection<String> tags) {
    if (tags.isEmpty()) {
      return this;
    }
    return new EvalSuite(
        name,
        source,
        workflow,
        refusalMarkers,
        cases.stream().filter(c -> c.tags().stream().anyMatch(tags::contains)).toList());
  }

  /** This suite without its {@code scripted-only} cases: those that apply to a real model. */
  public EvalSuite withoutScriptedOnly() {
    return new EvalSuite(
        name,
        source,
        workflow,
        refusalMarkers,
        cases.stream().filter(c -> !c.scriptedOnly()).toList());
  }

  /** This suite evaluating {@code workflowFile} instead of the one it names. */
  public EvalSuite withWorkflow(Path workflowFile) {
    return new EvalSuite(name, source, Optional.of(workflowFile), refusalMarkers, cases);
  }
}
