package dev.bridle.examples.triage;

/**
 * How soon a ticket needs an answer, from {@code low} to {@code urgent}.
 *
 * <p>The constants are lower-case on purpose: their names are the values the model reads in the
 * tool schemas and writes in its calls.
 */
public enum Urgency {
  low,
  normal,
  high,
  urgent
}
