/**
 * The evaluation harness: suites of cases (docs/evaluation.md), scorers, the parallel runner on
 * isolated tool data, JSON and HTML reports, and the pass-rate gate {@code bridle eval} applies.
 */
package dev.bridle.eval;
