package dev.bridle.eval;

/** How the cases with one tag did. */
public record TagResult(String tag, int total, int passed) {

  /** The share of these cases that passed, 0 to 1. */
  public double passRate() {
    return total == 0 ? 0 : (double) passed / total;
  }
}
