package dev.bridle.cli;

import dev.bridle.core.journal.RunStore;
import dev.bridle.store.RunStores;
import picocli.CommandLine.Option;

/** {@code --db URL}: where runs are journaled. Default: the SQLite file under {@code .bridle/}. */
final class StoreOptions {

  /** The environment variable that sets the default store URL. */
  static final String ENV = "BRIDLE_DB";

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "The run store: sqlite:PATH or jdbc:postgresql://HOST:PORT/DB?user=..&password=.."
              + " (default: $BRIDLE_DB, else sqlite:.bridle/bridle.db in this directory).")
  String url;

  /**
   * The kill switches in {@code store}'s database, re-read at most every 250 ms: every command that
   * runs an agent obeys them (DESIGN §3.5).
   */
  static dev.bridle.core.control.KillSwitch killSwitch(RunStore store) {
    return new dev.bridle.core.control.CachedKillSwitch(RunStores.killSwitch(store));
  }

  /**
   * The agent of {@code workflow} wired to {@code store}'s database: budgets spend through the
   * shared spend store, rate limits through the shared buckets, it obeys the kill switches and the
   * quality breaker kept there, and it runs in the mode of the workflow's latest mode change there,
   * if any, instead of its file's. The caller sets the journal (the store, or a lease's fenced view
   * of it).
   */
  static dev.bridle.core.run.Agent.Builder agent(
      dev.bridle.core.workflow.WorkflowDefinition workflow,
      dev.bridle.core.model.ChatModel model,
      RunStore store,
      ClassLoader loader) {
    return agent(workflow, model, store, loader, killSwitch(store));
  }

  /** As above, with a kill switch the caller shares among its agents (a serving node). */
  static dev.bridle.core.run.Agent.Builder agent(
      dev.bridle.core.workflow.WorkflowDefinition workflow,
      dev.bridle.core.model.ChatModel model,
      RunStore store,
      ClassLoader loader,
      dev.bridle.core.control.KillSwitch kills) {
    dev.bridle.core.workflow.WorkflowServices services =
        dev.bridle.core.workflow.WorkflowServices.none()
            .withSpendStore(RunStores.spendStore(store))
            .withRateLimiter(RunStores.rateLimiter(store));
    return dev.bridle.core.workflow.Workflows.agent(workflow, model, loader, services)
        // an operator's mode change (bridle workflows set-mode) overrides the file's mode
        .policy(
            RunStores.deploymentEvidence(store).effectivePolicy(workflow.name(), workflow.policy()))
        .killSwitch(kills)
        .qualityBreaker(
            dev.bridle.core.control.QualityBreaker.builder()
                .store(RunStores.qualityBreakers(store))
                .build());
  }

  RunStore open() {
    return RunStores.open(url());
  }

  /** The URL chosen by --db, else $BRIDLE_DB, else the default SQLite file. */
  String url() {
    String chosen = url != null ? url : System.getenv(ENV);
    return chosen == null || chosen.isBlank() ? RunStores.DEFAULT_URL : chosen;
  }
}
