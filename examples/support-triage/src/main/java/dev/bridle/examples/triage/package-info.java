/**
 * Example workflow: triage an incoming support ticket. The {@code support-triage} tool provider
 * ({@link dev.bridle.examples.triage.SupportTriageTools}) classifies the ticket, finds similar past
 * tickets in a bundled archive, drafts a reply and leaves an internal note. Nothing is ever sent:
 * every tool either reads or proposes, and what it proposes stays on the {@link
 * dev.bridle.examples.triage.TriageDesk} for a person to review.
 */
package dev.bridle.examples.triage;
