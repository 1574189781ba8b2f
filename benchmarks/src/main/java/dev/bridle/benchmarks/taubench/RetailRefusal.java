package dev.bridle.benchmarks.taubench;

/**
 * The store refused a call: an unknown order, an order in the wrong status, a gift card without
 * enough balance. Thrown before anything changed; Bridle records the call as failed and tells the
 * model the message (where τ-bench's tools return {@code "Error: <message>"}).
 */
final class RetailRefusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  RetailRefusal(String message) {
    super(message);
  }
}
