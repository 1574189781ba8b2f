package dev.bridle.benchmarks.agentdojo;

import java.util.List;

/** The person who answers approval requests, simulated two ways. */
enum SimulatedHuman {
  /** Approves every request: what policy alone stops. */
  APPROVES_EVERYTHING,
  /**
   * Approves exactly the calls of the user's task (same function, same argument values) and rejects
   * everything else: an attentive approver who knows what they asked for.
   */
  APPROVES_ONLY_BENIGN;

  /** Whether this human approves {@code call} in a run whose user task makes {@code benign}. */
  boolean approves(FunctionCall call, List<FunctionCall> benign) {
    return switch (this) {
      case APPROVES_EVERYTHING -> true;
      case APPROVES_ONLY_BENIGN -> benign.stream().anyMatch(call::sameCallAs);
    };
  }

  String label() {
    return switch (this) {
      case APPROVES_EVERYTHING -> "approves everything";
      case APPROVES_ONLY_BENIGN -> "approves only benign calls";
    };
  }
}
