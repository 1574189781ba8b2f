/**
 * Guards: checks on the task, the model's output, tool arguments and tool results that run before
 * any side effect (DESIGN §2, §3.3).
 *
 * <p>A {@link dev.bridle.core.guard.Guard} looks at a {@link dev.bridle.core.guard.GuardSubject}
 * and returns a {@link dev.bridle.core.guard.GuardResult}: pass, flag, redact, block, escalate to a
 * human or reask the model. A {@link dev.bridle.core.guard.GuardChain} runs guards in order and
 * returns a {@link dev.bridle.core.guard.ChainResult} with the text to use, the outcome and every
 * trip for the journal. {@link dev.bridle.core.guard.Guards#fromConfig} builds a chain from a
 * workflow file's {@code guards} section; the built-in guards are {@link
 * dev.bridle.core.guard.SizeLimitGuard}, {@link dev.bridle.core.guard.InputScopeGuard}, {@link
 * dev.bridle.core.guard.BlocklistGuard}, {@link dev.bridle.core.guard.InjectionHeuristicGuard},
 * {@link dev.bridle.core.guard.ProhibitedLanguageGuard}, {@link
 * dev.bridle.core.guard.JsonSchemaGuard}, {@link dev.bridle.core.guard.IdValidityGuard} and {@link
 * dev.bridle.core.guard.PiiRedactionGuard}. {@link dev.bridle.core.guard.Redactor} redacts logs and
 * traces. See {@code docs/guards.md}.
 */
package dev.bridle.core.guard;
