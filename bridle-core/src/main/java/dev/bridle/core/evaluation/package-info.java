/**
 * Check primitives for judging runs, free of any framework so that production code (shadow
 * agreement, quality signals) and the evaluation harness ({@code bridle-eval}) share one meaning.
 *
 * <ul>
 *   <li>{@link dev.bridle.core.evaluation.ArgumentMatcher}: does a tool call's argument match an
 *       expectation ({@code equals}, {@code contains}, {@code regex}, {@code any}, {@code absent}).
 *   <li>{@link dev.bridle.core.evaluation.OutputCheck}: does a final answer contain, not contain,
 *       match a pattern, or parse as JSON valid against a schema.
 *   <li>{@link dev.bridle.core.evaluation.ObservedCall}: the tool calls of a run as its journal
 *       tells them, each with what happened to it (executed, denied, asked, ...).
 *   <li>{@link dev.bridle.core.evaluation.RunClassification}: a finished run classified as {@code
 *       needs-approval}, {@code refused}, {@code clarification}, {@code safe-stop}, {@code failed}
 *       or {@code completed} (see {@code docs/evaluation.md}).
 * </ul>
 */
package dev.bridle.core.evaluation;
