package dev.bridle.core.journal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over the run index; newest runs first.
 *
 * @param limit at most this many runs (1 to 10,000)
 */
public record RunQuery(
    Optional<RunStatus> status,
    Optional<String> workflow,
    Optional<String> user,
    Optional<Instant> createdAfter,
    Optional<Instant> createdBefore,
    int limit) {

  public static final RunQuery ALL =
      new RunQuery(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          100);

  public RunQuery {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(createdAfter, "createdAfter");
    Objects.requireNonNull(createdBefore, "createdBefore");
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be between 1 and 10000, but was " + limit);
    }
  }

  public RunQuery withStatus(RunStatus value) {
    return new RunQuery(Optional.of(value), workflow, user, createdAfter, createdBefore, limit);
  }

  public RunQuery withWorkflow(String value) {
    return new RunQuery(status, Optional.of(value), user, createdAfter, createdBefore, limit);
  }

  public RunQuery withUser(String value) {
    return new RunQuery(status, workflow, Optional.of(value), createdAfter, createdBefore, limit);
  }

  public RunQuery withCreatedAfter(Instant value) {
    return new RunQuery(status, workflow, user, Optional.of(value), createdBefore, limit);
  }

  public RunQuery withCreatedBefore(Instant value) {
    return new RunQuery(status, workflow, user, createdAfter, Optional.of(value), limit);
  }

  public RunQuery withLimit(int value) {
    return new RunQuery(status, workflow, user, createdAfter, createdBefore, value);
  }

  /** Whether {@code run} passes this filter (ignoring the limit). */
  public boolean matches(RunSummary run) {
    return status.map(s -> s == run.status()).orElse(true)
        && workflow.map(w -> w.equals(run.workflow())).orElse(true)
        && user.map(u -> u.equals(run.user())).orElse(true)
        && createdAfter.map(t -> run.createdAt().isAfter(t)).orElse(true)
        && createdBefore.map(t -> run.createdAt().isBefore(t)).orElse(true);
  }
}
