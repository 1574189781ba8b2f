package dev.bridle.core.control;

import dev.bridle.core.journal.RunEvent.FailureKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one observation of a workflow's quality said, as the {@link QualityBreaker} counts it: a run
 * that ended, or an evaluation of one. {@link #PASSED} is the good news; every other value is a
 * kind of failure, and {@link QualityBreakerSettings#counted()} says which of them count against
 * the workflow.
 */
public enum QualitySignal {
  /**
   * A run ended with an answer and no guard blocked or escalated on the way; an evaluation passed.
   */
  PASSED("passed"),
  /** A run failed on a model or system error. */
  ERROR("error"),
  /** A run used its last step without an answer. */
  STEP_LIMIT("step-limit"),
  /** A run's deadline passed. */
  DEADLINE("deadline"),
  /** The model kept proposing the same call. */
  LOOP("loop"),
  /** A guard refused the task or the answer, ending the run. */
  GUARD_BLOCKED("guard-blocked"),
  /** A guard handed the run to a human (not the quality breaker itself). */
  GUARD_ESCALATED("guard-escalated"),
  /** A budget's hard limit stopped the run: a cost signal, not counted by default. */
  BUDGET("budget"),
  /**
   * The run ended with an answer, but on the way a guard blocked or escalated something (a tool
   * call's arguments, a tool result it withheld).
   */
  GUARD_TRIPPED("guard-tripped"),
  /** An evaluation of the workflow's output failed. */
  EVALUATION_FAILED("evaluation-failed");

  private final String configName;

  QualitySignal(String configName) {
    this.configName = configName;
  }

  /** The kebab-case name used in workflow files and the CLI, e.g. {@code guard-blocked}. */
  public String configName() {
    return configName;
  }

  /** Whether this is a failure of some kind (everything but {@link #PASSED}). */
  public boolean isFailure() {
    return this != PASSED;
  }

  /** The signal of a run that ended with {@code RunFailed} of this kind. */
  public static QualitySignal of(FailureKind kind) {
    return switch (kind) {
      case ERROR -> ERROR;
      case STEP_LIMIT -> STEP_LIMIT;
      case DEADLINE -> DEADLINE;
      case LOOP -> LOOP;
      case GUARD -> GUARD_BLOCKED;
      case ESCALATED -> GUARD_ESCALATED;
      case BUDGET -> BUDGET;
    };
  }

  /**
   * The signal with this config name; also accepts the constant's name in any case.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static QualitySignal fromConfigName(String name) {
    String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (QualitySignal signal : values()) {
      if (signal.configName.equals(wanted)) {
        return signal;
      }
    }
    throw new IllegalArgumentException(
        "unknown quality signal '"
            + name
            + "'; expected one of "
            + Arrays.stream(values())
                .map(QualitySignal::configName)
                .collect(Collectors.joining(", ")));
  }
}
