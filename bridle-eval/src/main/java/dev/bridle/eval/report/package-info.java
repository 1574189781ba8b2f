/**
 * Reports of an {@link dev.bridle.eval.EvalReport}: {@link dev.bridle.eval.report.JsonReport} (one
 * JSON document, for CI and tools) and {@link dev.bridle.eval.report.HtmlReport} (one
 * self-contained HTML page: the pass rate per tag, and each failure with its scorers' details and
 * its run's timeline).
 */
package dev.bridle.eval.report;
