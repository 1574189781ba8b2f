package dev.bridle.server;

import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.server.auth.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the endpoints share: the stores, the served workflows, the clock and the views. */
record ServerContext(
    RunQueue queue,
    KillSwitch killSwitch,
    ServedWorkflows workflows,
    TokenStore tokens,
    Sessions sessions,
    Clock clock,
    Redactor redactor,
    Views views,
    Duration streamPollInterval,
    boolean secureCookies,
    BooleanSupplier serving) {

  RunStore store() {
    return queue.store();
  }

  /** The index row of a run, or 404. */
  RunSummary run(RunId runId) {
    return store().find(runId).orElseThrow(() -> ApiException.notFound("no run " + runId));
  }
}
