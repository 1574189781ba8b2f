package dev.bridle.server;

import dev.bridle.core.journal.ForwardingRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import java.util.List;
import java.util.Optional;

/**
 * The journal the worker's agents get: the fenced store, except that a run the index shows as
 * {@code QUEUED} although it has started (it has a workflow version, which only {@code RunStarted}
 * sets) is shown as {@code RUNNING}.
 *
 * <p>Why: a decision makes a suspended run {@code QUEUED} again, and {@code Resumption} in
 * bridle-core takes a {@code QUEUED} run whose first event is {@code RunSubmitted} for one that
 * never started, so a run submitted through the queue would start over after every approval (ask
 * the model again, ask for the same approval again). Remove this view once {@code
 * Resumption.checkWorkflow} tells started runs apart itself; with that fix it changes nothing.
 */
final class DecidedRunView extends ForwardingRunStore {

  DecidedRunView(RunStore delegate) {
    super(delegate);
  }

  @Override
  public Optional<RunSummary> find(RunId runId) {
    return super.find(runId).map(DecidedRunView::startedIsRunning);
  }

  /** The delegate's own transaction, all or none (not one append per event). */
  @Override
  public long appendAll(RunId runId, long expectedLastSeq, List<RunEvent> events) {
    return delegate().appendAll(runId, expectedLastSeq, events);
  }

  private static RunSummary startedIsRunning(RunSummary run) {
    if (run.status() != RunStatus.QUEUED
        || run.workflowVersion() == null
        || run.workflowVersion().isEmpty()) {
      return run;
    }
    return new RunSummary(
        run.runId(),
        run.workflow(),
        run.workflowVersion(),
        run.user(),
        RunStatus.RUNNING,
        run.createdAt(),
        run.updatedAt(),
        run.steps(),
        run.usage(),
        run.task(),
        run.lastSeq());
  }
}
