package dev.bridle.benchmarks.taubench;

import dev.bridle.core.journal.RunEvent;

/** The person who answers the approvals inbox for the customer, simulated two ways. */
enum SimulatedHuman {
  /** Says yes to every change: the store must end exactly as the oracle says. */
  APPROVES_ALL,
  /** Says no to every change: the store must end as it began. */
  DENIES_ALL;

  static final String NAME = "simulated-customer";

  RunEvent.Decision decision() {
    return switch (this) {
      case APPROVES_ALL -> RunEvent.Decision.APPROVE;
      case DENIES_ALL -> RunEvent.Decision.REJECT;
    };
  }

  /** The reason given with a rejection; empty for an approval. */
  String message() {
    return switch (this) {
      case APPROVES_ALL -> "";
      case DENIES_ALL -> "No, I do not confirm this change.";
    };
  }

  String label() {
    return switch (this) {
      case APPROVES_ALL -> "approve-all";
      case DENIES_ALL -> "deny-all";
    };
  }
}
