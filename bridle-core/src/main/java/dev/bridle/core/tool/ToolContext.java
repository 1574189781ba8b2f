package dev.bridle.core.tool;

import dev.bridle.core.journal.RunId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a tool knows about the call it serves.
 *
 * @param runId the run making the call
 * @param callId the model's id for this call, unique within the run
 * @param idempotencyKey {@code runId/callId}: pass it to downstream systems so that a call re-run
 *     after a crash is recognised as the same call
 * @param agent the acting identity, {@code agent:<workflow>@<version>}, for audit trails
 * @param deadline when the run's wall-clock deadline expires
 * @param credentials the secrets the tool may use; they refuse while a kill switch is on
 */
public record ToolContext(
    RunId runId,
    String callId,
    String idempotencyKey,
    String agent,
    Instant deadline,
    Credentials credentials) {
  public ToolContext {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(credentials, "credentials");
  }

  /** A context without credentials. */
  public ToolContext(
      RunId runId, String callId, String idempotencyKey, String agent, Instant deadline) {
    this(runId, callId, idempotencyKey, agent, deadline, Credentials.NONE);
  }

  /**
   * The secret called {@code name}.
   *
   * @throws CredentialRefusedException when none is configured under that name, or a kill switch
   *     stops this agent
   */
  public String credential(String name) {
    return credentials
        .lookup(name)
        .orElseThrow(
            () ->
                new CredentialRefusedException(
                    "no credential '" + name + "' is configured for " + agent));
  }
}
