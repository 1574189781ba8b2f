package dev.bridle.examples.triage;

/**
 * What a support ticket is about.
 *
 * <p>The constants are lower-case on purpose: their names are the values the model reads in the
 * tool schemas and writes in its calls ({@code "category": "billing"}), and the same values appear
 * in the bundled ticket archive.
 */
public enum Category {
  billing,
  bug,
  account,
  feature_request,
  outage,
  how_to
}
