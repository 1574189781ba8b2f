package dev.bridle.eval;

import java.util.List;
import java.util.Objects;

/**
 * A case that was not run because it does not apply to the model evaluated: a {@code scripted-only}
 * case (it tests Bridle's controls against what its script plays) when a real model played the
 * suite.
 *
 * @param id the case's id
 * @param tags its tags
 * @param description what it is about; may be empty
 */
public record NotApplicableCase(String id, List<String> tags, String description) {

  public NotApplicableCase {
    Objects.requireNonNull(id, "id");
    tags = List.copyOf(tags);
    Objects.requireNonNull(description, "description");
  }

  static NotApplicableCase of(EvalCase evalCase) {
    return new NotApplicableCase(evalCase.id(), evalCase.tags(), evalCase.description());
  }
}
