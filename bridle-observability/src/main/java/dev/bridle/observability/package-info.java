/**
 * Observability as a projection of the run journal (DESIGN §1): {@link
 * dev.bridle.observability.ObservedRunStore} turns each appended event into OpenTelemetry spans
 * with the GenAI semantic-convention names and Micrometer metrics; {@link
 * dev.bridle.observability.Observability} configures both and serves the Prometheus text. One trace
 * per run: trace and span ids are derived from the run id, so suspensions, resumptions and other
 * nodes continue the same trace. Content is exported only when {@link
 * dev.bridle.observability.ContentCapture} allows it, and always redacted.
 */
package dev.bridle.observability;
