package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.BridleException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.JournalConflictException;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.run.Cancellation;
import dev.bridle.core.run.RunState;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Runs: start one, list, show, their events, cancel, resume after a kill. */
final class RunsApi {

  static final int MAX_TASK_CHARS = 32_000;
  static final int MAX_REASON_CHARS = 2_000;
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@+:-]{1,128}");

  private final ServerContext server;

  RunsApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.post("/api/v1/runs", Access.OPERATOR, this::start),
        Route.get("/api/v1/runs", Access.VIEWER, this::list),
        Route.get("/api/v1/runs/{id}", Access.VIEWER, this::show),
        Route.get("/api/v1/runs/{id}/events", Access.VIEWER, this::events),
        Route.get("/api/v1/runs/{id}/stream", Access.VIEWER, new EventStream(server)::stream),
        Route.post("/api/v1/runs/{id}/cancel", Access.OPERATOR, this::cancel),
        Route.post("/api/v1/runs/{id}/resume", Access.OPERATOR, this::resume));
  }

  /** {@code POST /runs {workflow, task, user?}}: queued for a worker; 202 with the run id. */
  private void start(Context ctx) {
    ObjectNode body = Requests.body(ctx, Set.of("workflow", "task", "user"));
    String workflow = Requests.requiredText(body, "workflow", 64);
    if (!server.workflows().serves(workflow)) {
      throw ApiException.invalid(
          "workflow",
          "workflow '"
              + workflow
              + "' is not served here; served: "
              + String.join(", ", server.workflows().names()));
    }
    String task = Requests.requiredText(body, "task", MAX_TASK_CHARS);
    String user =
        Requests.optionalText(body, "user", 128).orElse(Authenticator.caller(ctx).principal());
    if (!USER.matcher(user).matches()) {
      throw ApiException.invalid(
          "user", "user must be 1 to 128 of A-Z a-z 0-9 . _ @ + : -, but was '" + user + "'");
    }
    RunId runId = server.queue().submit(RunId.random(), workflow, task, user, server.clock());
    ObjectNode out = Jsons.object();
    out.put("id", runId.value());
    out.put("status", RunStatus.QUEUED.name());
    ctx.header("Location", "/api/v1/runs/" + runId.value());
    Responses.json(ctx, 202, out);
  }

  /** {@code GET /runs?status&workflow&user&limit}: newest first. */
  private void list(Context ctx) {
    RunQuery query = RunQuery.ALL.withLimit(Requests.limit(ctx, 50, 1_000));
    Optional<String> status = Requests.textParam(ctx, "status", 16);
    if (status.isPresent()) {
      query = query.withStatus(status(status.get()));
    }
    Optional<String> workflow = Requests.textParam(ctx, "workflow", 64);
    if (workflow.isPresent()) {
      query = query.withWorkflow(workflow.get());
    }
    Optional<String> user = Requests.textParam(ctx, "user", 128);
    if (user.isPresent()) {
      query = query.withUser(user.get());
    }
    ArrayNode runs = Jsons.array();
    server.store().list(query).forEach(run -> runs.add(server.views().run(run)));
    ObjectNode out = Jsons.object();
    out.set("runs", runs);
    Responses.ok(ctx, out);
  }

  private static RunStatus status(String text) {
    try {
      return RunStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "status",
          "status must be one of "
              + String.join(
                  ", ",
                  java.util.Arrays.stream(RunStatus.values())
                      .map(s -> s.name().toLowerCase(Locale.ROOT))
                      .toList())
              + ", but was '"
              + text
              + "'");
    }
  }

  /** {@code GET /runs/{id}}: the index row, the tool calls, the outcome or what it waits on. */
  private void show(Context ctx) {
    RunId runId = Requests.runId(ctx);
    RunSummary run = server.run(runId);
    List<JournalEntry> entries = server.store().read(runId);
    RunState state = RunState.replay(runId, entries);
    ObjectNode out = Jsons.object();
    ObjectNode view = server.views().run(run);
    // what ran: recorded once, on the run's start (a queued run has not started yet)
    Optional<RunEvent.RunStarted> started =
        entries.stream()
            .map(JournalEntry::event)
            .filter(RunEvent.RunStarted.class::isInstance)
            .map(RunEvent.RunStarted.class::cast)
            .findFirst();
    view.put("definitionHash", started.map(RunEvent.RunStarted::definitionHash).orElse(null));
    view.put("modelId", started.map(RunEvent.RunStarted::modelId).orElse(null));
    out.set("run", view);
    ArrayNode calls = out.putArray("toolCalls");
    state.toolCalls().forEach(call -> calls.add(server.views().toolCall(call)));
    out.set("outcome", outcome(run, state, entries));
    Responses.ok(ctx, out);
  }

  private ObjectNode outcome(RunSummary run, RunState state, List<JournalEntry> entries) {
    Redactor r = server.redactor();
    ObjectNode node = Jsons.object();
    node.put("status", run.status().name());
    node.put("ended", state.isEnded());
    if (state.ended().isPresent()) {
      switch (state.ended().get()) {
        case RunEvent.RunCompleted e -> node.put("answer", r.text(e.answer()));
        case RunEvent.RunFailed e -> {
          node.put("kind", e.kind().name());
          node.put("reason", r.text(e.reason()));
        }
        case RunEvent.RunCancelled e -> {
          node.put("by", r.text(e.by()));
          node.put("reason", r.text(e.reason()));
        }
        default -> {}
      }
      return node;
    }
    if (run.status() == RunStatus.SUSPENDED) {
      List<ApprovalItem> pending = approvals().pendingFor(run.runId());
      node.set("waitingOn", Views.strings(pending.stream().map(ApprovalItem::id).toList()));
    }
    if (run.status() == RunStatus.KILLED || run.status() == RunStatus.SUSPENDED) {
      for (JournalEntry entry : entries.reversed()) {
        if (entry.event() instanceof RunEvent.RunKilled killed) {
          node.put("reason", r.text(killed.reason()));
          break;
        }
        if (entry.event() instanceof RunEvent.RunSuspended suspended) {
          node.put("reason", r.text(suspended.reason()));
          break;
        }
      }
    }
    return node;
  }

  /** {@code GET /runs/{id}/events?after=N&limit=M}: journal entries after sequence number N. */
  private void events(Context ctx) {
    RunId runId = Requests.runId(ctx);
    server.run(runId);
    long after = after(ctx);
    int limit = Requests.limit(ctx, 1_000, 10_000);
    List<JournalEntry> entries = server.store().readAfter(runId, after);
    ArrayNode events = Jsons.array();
    entries.stream().limit(limit).forEach(entry -> events.add(server.views().entry(entry)));
    ObjectNode out = Jsons.object();
    out.put("runId", runId.value());
    out.set("events", events);
    out.put("more", entries.size() > limit);
    Responses.ok(ctx, out);
  }

  static long after(Context ctx) {
    String text = ctx.queryParam("after");
    if (text == null) {
      return 0;
    }
    try {
      long after = Long.parseLong(text.strip());
      if (after >= 0) {
        return after;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(
        "after", "after must be a sequence number of 0 or more, but was '" + text + "'");
  }

  /** {@code POST /runs/{id}/cancel {reason?}}: ends a waiting run as the caller's decision. */
  private void cancel(Context ctx) {
    RunId runId = Requests.runId(ctx);
    ObjectNode body = Requests.optionalBody(ctx, Set.of("reason"));
    String reason = Requests.optionalText(body, "reason", MAX_REASON_CHARS).orElse("");
    server.run(runId);
    RunEvent.RunCancelled cancelled;
    try {
      cancelled =
          Cancellation.cancel(
              server.store(), runId, Authenticator.caller(ctx).principal(), reason, server.clock());
    } catch (JournalConflictException e) {
      throw ApiException.conflict(
          "run "
              + runId
              + " is being worked on right now; stop it with a kill switch first, then cancel it");
    } catch (BridleException e) {
      throw ApiException.conflict(e.getMessage());
    }
    ObjectNode out = Jsons.object();
    out.put("id", runId.value());
    out.put("status", RunStatus.CANCELLED.name());
    out.put("at", Views.time(cancelled.at()));
    Responses.ok(ctx, out);
  }

  /**
   * {@code POST /runs/{id}/resume}: a run a kill switch parked goes back to the workers, once no
   * switch covers it.
   */
  private void resume(Context ctx) {
    RunId runId = Requests.runId(ctx);
    Requests.optionalBody(ctx, Set.of());
    RunSummary run = server.run(runId);
    if (run.status() != RunStatus.KILLED) {
      throw ApiException.conflict(
          "run "
              + runId
              + " is "
              + run.status()
              + "; only a run a kill switch parked (KILLED) is resumed here: a queued, running"
              + " or decided run continues on its own, and an ended one is over");
    }
    String agent = server.workflows().identity(run);
    Optional<KillSwitch.Kill> kill = server.killSwitch().check(run.workflow(), agent);
    if (kill.isPresent()) {
      throw ApiException.conflict(
          "run " + runId + " cannot resume while " + kill.get().describe() + "; revive it first");
    }
    try {
      server
          .store()
          .append(
              runId,
              run.lastSeq(),
              new RunEvent.RunResumed(
                  server.clock().instant(), Authenticator.caller(ctx).principal()));
    } catch (JournalConflictException e) {
      throw ApiException.conflict("run " + runId + " changed meanwhile; look at it again");
    }
    ObjectNode out = Jsons.object();
    out.put("id", runId.value());
    out.put("status", RunStatus.RUNNING.name());
    Responses.json(ctx, 202, out);
  }

  private Approvals approvals() {
    return new Approvals(server.store(), server.workflows()::agent, server.clock());
  }
}
