package dev.bridle.eval;

import java.util.Objects;

/**
 * What one scorer found about one case.
 *
 * @param scorer the scorer's name ({@code outcome}, {@code tool-calls}, ...)
 * @param passed whether the case passes this scorer
 * @param detail what was expected and what happened, for a person
 */
public record Score(String scorer, boolean passed, String detail) {

  public Score {
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(detail, "detail");
  }

  public static Score pass(String scorer, String detail) {
    return new Score(scorer, true, detail);
  }

  public static Score fail(String scorer, String detail) {
    return new Score(scorer, false, detail);
  }
}
