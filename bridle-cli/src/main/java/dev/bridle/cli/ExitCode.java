package dev.bridle.cli;

import dev.bridle.core.run.RunOutcome;

/** What {@code bridle}'s exit codes mean. */
public final class ExitCode {
  /** The run completed. */
  public static final int OK = 0;

  /**
   * The run ended without an answer (failure, a limit, a loop), was cancelled, or was parked by a
   * kill switch (resumable after a revive, but it does not wait for an approval); or a governance
   * command was refused (an approval decided already, an incomplete revert).
   */
  public static final int FAILED = 1;

  /** The command was used wrongly, or its workflow file is invalid. */
  public static final int USAGE = 2;

  /** The run waits for a human decision. */
  public static final int SUSPENDED = 3;

  /** {@code bridle eval}: the suite ran, and its pass rate is below {@code --min-pass}. */
  public static final int BELOW_GATE = 4;

  private ExitCode() {}

  static int of(RunOutcome outcome) {
    return switch (outcome) {
      case RunOutcome.Completed c -> OK;
      case RunOutcome.Suspended s -> SUSPENDED;
      case RunOutcome.Failed f -> FAILED;
      case RunOutcome.StepLimitReached s -> FAILED;
      case RunOutcome.DeadlineExceeded d -> FAILED;
      case RunOutcome.LoopDetected l -> FAILED;
      case RunOutcome.Killed k -> FAILED;
      case RunOutcome.Cancelled c -> FAILED;
      case RunOutcome.Blocked b -> FAILED;
      case RunOutcome.BudgetExhausted b -> FAILED;
      case RunOutcome.Escalated e -> SUSPENDED;
    };
  }
}
