package dev.bridle.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.approval.ApprovalException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.cost.InMemorySpendStore;
import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.evaluation.RunClassification;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.limits.LocalRateLimiter;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunOutcome;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.WorkflowServices;
import dev.bridle.core.workflow.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs one case in isolation: its own temporary directory (deleted afterwards), its tools from each
 * provider's {@code isolatedTools} over its fixtures, an in-memory journal, spend store and rate
 * limiter, the simulated human answering approvals, then the scorers.
 */
final class CaseExecution {

  /** The user every case's run is for. */
  static final String USER = "eval";

  /** Who the simulated human decides as (not {@link #USER}: four eyes hold). */
  static final String APPROVER = "eval:simulated-human";

  /** Answer-and-resume rounds before a case is stopped (a run that keeps asking). */
  static final int MAX_ROUNDS = 50;

  private final WorkflowDefinition workflow;
  private final Optional<ChatModel> model;
  private final List<Scorer> scorers;
  private final WorkflowServices services;
  private final ClassLoader loader;
  private final Path workRoot;
  private final List<String> refusalMarkers;

  CaseExecution(
      WorkflowDefinition workflow,
      Optional<ChatModel> model,
      List<Scorer> scorers,
      WorkflowServices services,
      ClassLoader loader,
      Path workRoot,
      List<String> refusalMarkers) {
    this.workflow = workflow;
    this.model = model;
    this.scorers = List.copyOf(scorers);
    this.services = services;
    this.loader = loader;
    this.workRoot = workRoot;
    this.refusalMarkers = List.copyOf(refusalMarkers);
  }

  CaseResult run(EvalCase evalCase) {
    Path directory;
    try {
      Files.createDirectories(workRoot);
      directory = Files.createTempDirectory(workRoot, "bridle-eval-");
    } catch (IOException e) {
      return failed(
          evalCase,
          "cannot create the case's work directory under " + workRoot + ": " + e.getMessage());
    }
    try {
      return runIn(evalCase, directory);
    } finally {
      delete(directory);
    }
  }

  private CaseResult runIn(EvalCase evalCase, Path directory) {
    InMemoryRunStore store = new InMemoryRunStore();
    Agent agent;
    try {
      WorkflowServices isolated =
          services
              .withToolSupply(
                  provider ->
                      provider.isolatedTools(evalCase.fixturesFor(provider.name()), directory))
              .withSpendStore(new InMemorySpendStore())
              .withRateLimiter(new LocalRateLimiter(services.clock()));
      agent =
          Workflows.agent(workflow, modelFor(evalCase), loader, isolated)
              .journal(store)
              .notifier(notification -> {})
              .build();
    } catch (RuntimeException e) {
      return failed(evalCase, "cannot set the case up: " + describe(e));
    }
    RunId runId = RunId.random();
    List<RefusedEdit> refused = new ArrayList<>();
    RunResult result;
    try {
      result = agent.run(runId, evalCase.task(), USER);
      result = answerApprovals(evalCase, agent, store, result, refused);
    } catch (HumanRefused e) {
      return finish(evalCase, store, runId, refused, Optional.empty(), Optional.of(e.getMessage()));
    } catch (RuntimeException e) {
      return finish(
          evalCase,
          store,
          runId,
          refused,
          Optional.empty(),
          Optional.of("the run failed: " + describe(e)));
    }
    return finish(evalCase, store, runId, refused, Optional.of(result), Optional.empty());
  }

  private ChatModel modelFor(EvalCase evalCase) {
    return model.orElseGet(() -> ScriptedChatModel.of(workflow.name(), evalCase.script()));
  }

  /**
   * While the run waits, the simulated human answers what it can and the run resumes. An edit
   * Bridle refuses leaves the approval pending, as for a person: it is added to {@code refused},
   * and the tool's next answer (if the case lists one) answers the same approval.
   */
  private RunResult answerApprovals(
      EvalCase evalCase,
      Agent agent,
      InMemoryRunStore store,
      RunResult result,
      List<RefusedEdit> refused) {
    Approvals approvals = new Approvals(store, name -> Optional.of(agent), services.clock());
    Map<String, Integer> asked = new HashMap<>();
    RunResult current = result;
    for (int round = 0;
        round < MAX_ROUNDS && current.outcome() instanceof RunOutcome.Suspended;
        round++) {
      boolean answered = false;
      for (ApprovalItem item : approvals.pendingFor(current.runId())) {
        while (true) {
          int nth = asked.merge(item.toolName(), 1, Integer::sum) - 1;
          Optional<SimulatedHuman.Answer> answer = evalCase.human().answer(item.toolName(), nth);
          if (answer.isEmpty()) {
            break;
          }
          Optional<RefusedEdit> refusal = decide(approvals, store, item, answer.get());
          if (refusal.isEmpty()) {
            answered = true;
            break;
          }
          refused.add(refusal.get());
        }
      }
      if (!answered) {
        break;
      }
      current = agent.resume(current.runId(), USER);
    }
    return current;
  }

  /** Takes the answer; the refusal when Bridle refused an edit, which leaves the item pending. */
  private Optional<RefusedEdit> decide(
      Approvals approvals,
      InMemoryRunStore store,
      ApprovalItem item,
      SimulatedHuman.Answer answer) {
    String arguments = null;
    if (answer.arguments().isPresent()) {
      JsonNode proposed = Json.tree(item.arguments());
      ObjectNode edited =
          proposed.isObject() ? ((ObjectNode) proposed).deepCopy() : Json.MAPPER.createObjectNode();
      edited.setAll((ObjectNode) answer.arguments().get());
      arguments = Json.write(edited);
    }
    try {
      approvals.decide(item.id(), answer.decision(), arguments, answer.comment(), APPROVER);
      return Optional.empty();
    } catch (ApprovalException e) {
      if (answer.decision() == RunEvent.Decision.EDIT) {
        List<JournalEntry> journal = store.read(item.runId());
        return Optional.of(
            new RefusedEdit(
                item.callId(),
                item.toolName(),
                arguments,
                e.getMessage(),
                journal.isEmpty() ? 0 : journal.getLast().seq(),
                services.clock().instant()));
      }
      // approving or rejecting is never refused on a case's own run: a fault of the harness
      throw new HumanRefused(
          "the simulated human's "
              + answer.decision().name().toLowerCase(java.util.Locale.ROOT)
              + " of "
              + item.toolName()
              + " was refused: "
              + e.getMessage());
    }
  }

  private CaseResult finish(
      EvalCase evalCase,
      InMemoryRunStore store,
      RunId runId,
      List<RefusedEdit> refused,
      Optional<RunResult> result,
      Optional<String> error) {
    List<JournalEntry> journal = store.read(runId);
    List<TimelineEntry> timeline = Timeline.of(journal, refused);
    if (result.isEmpty()) {
      return new CaseResult(
          evalCase.id(),
          evalCase.tags(),
          evalCase.description(),
          false,
          "error",
          error.orElse(""),
          List.of(),
          0,
          Optional.empty(),
          journal.isEmpty() ? Optional.empty() : Optional.of(runId.value()),
          Optional.empty(),
          timeline,
          error);
    }
    RunResult run = result.get();
    List<RunEvent> events = journal.stream().map(JournalEntry::event).toList();
    CaseRun caseRun =
        new CaseRun(
            evalCase,
            run,
            journal,
            withRefusals(ObservedCall.of(events), refused),
            RunClassification.of(run.outcome(), events, refusalMarkers),
            CaseRun.costOf(events));
    List<Score> scores = new ArrayList<>();
    for (Scorer scorer : scorers) {
      try {
        scorer.score(caseRun).ifPresent(scores::add);
      } catch (RuntimeException e) {
        scores.add(Score.fail(scorer.name(), "the scorer failed: " + describe(e)));
      }
    }
    return new CaseResult(
        evalCase.id(),
        evalCase.tags(),
        evalCase.description(),
        scores.stream().allMatch(Score::passed),
        caseRun.classification().outcome().key(),
        run.outcome().message(),
        scores,
        run.steps(),
        caseRun.costUsd(),
        Optional.of(runId.value()),
        run.answer(),
        timeline,
        Optional.empty());
  }

  /** {@code calls} with {@code edit-refused} on each call whose edit Bridle refused. */
  private static List<ObservedCall> withRefusals(
      List<ObservedCall> calls, List<RefusedEdit> refused) {
    if (refused.isEmpty()) {
      return calls;
    }
    Set<String> callIds = refused.stream().map(RefusedEdit::callId).collect(Collectors.toSet());
    return calls.stream()
        .map(
            call ->
                callIds.contains(call.callId())
                    ? call.withStatus(ObservedCall.Status.EDIT_REFUSED)
                    : call)
        .toList();
  }

  private static CaseResult failed(EvalCase evalCase, String error) {
    return new CaseResult(
        evalCase.id(),
        evalCase.tags(),
        evalCase.description(),
        false,
        "error",
        error,
        List.of(),
        0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.of(error));
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return e instanceof IllegalArgumentException || e instanceof dev.bridle.core.BridleException
        ? message
        : e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  /** Deletes {@code directory}, ignoring what cannot be deleted (for a probe). */
  static void deleteQuietly(Path directory) {
    try {
      delete(directory);
    } catch (UncheckedIOException e) {
      // a probe's leftovers are in the temporary directory; nothing depends on them
    }
  }

  static void delete(Path directory) {
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure)
                throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the case's work directory " + directory, e);
    }
  }

  /** The simulated human's approval or rejection could not be taken: a fault of the harness. */
  private static final class HumanRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HumanRefused(String message) {
      super(message);
    }
  }
}
