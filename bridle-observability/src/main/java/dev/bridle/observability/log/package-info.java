/**
 * Redacted logs: a Logback JSON encoder ({@link dev.bridle.observability.log.RedactingJsonEncoder})
 * and a text layout whose messages, MDC values and stack traces pass through {@code Redactor}, and
 * {@link dev.bridle.observability.log.LogSetup} to select one from the environment.
 */
package dev.bridle.observability.log;
