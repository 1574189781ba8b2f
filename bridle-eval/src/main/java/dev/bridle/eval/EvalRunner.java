package dev.bridle.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.WorkflowServices;
import dev.bridle.core.workflow.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a suite's cases against a workflow, in parallel, each case isolated (docs/evaluation.md,
 * "Fixtures and isolation"), and scores them. Immutable and thread-safe.
 *
 * <pre>{@code
 * EvalReport report =
 *     EvalRunner.builder()
 *         .parallelism(4)
 *         .onProgress(p -> ...)
 *         .build()
 *         .run(Suites.load(Path.of("evals/suite.yaml")));   // the workflow the suite names
 * }</pre>
 *
 * <p>Before any case runs, the runner checks what would otherwise fail every case: a workflow to
 * evaluate, a script for each case when no model is given, a grader for graded cases, tool
 * providers that can isolate their data ({@link dev.bridle.core.tool.ToolProvider#isolatedTools}),
 * and expectations and fixtures that name tools and providers the workflow has. Those problems are
 * a {@link ConfigurationException} ({@link SuiteException} when a case is at fault); a problem of
 * one case (bad fixtures, a failing model) fails that case with an error.
 */
public final class EvalRunner {

  /** The most cases run at once. */
  public static final int MAX_PARALLELISM = 64;

  private final Optional<WorkflowDefinition> workflow;
  private final Optional<ChatModel> model;
  private final Optional<ChatModel> grader;
  private final List<Scorer> extraScorers;
  private final int parallelism;
  private final WorkflowServices services;
  private final ClassLoader loader;
  private final Path workDirectory;
  private final Consumer<EvalProgress> progress;

  private EvalRunner(Builder builder) {
    this.workflow = Optional.ofNullable(builder.workflow);
    this.model = Optional.ofNullable(builder.model);
    this.grader = Optional.ofNullable(builder.grader);
    this.extraScorers = List.copyOf(builder.scorers);
    this.parallelism = builder.parallelism;
    this.services = builder.services;
    this.loader = builder.loader;
    this.workDirectory = builder.workDirectory;
    this.progress = builder.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every case of {@code suite} and scores it. Given a model, the suite's {@code
   * scripted-only} cases are not run but listed in the report's {@link EvalReport#notApplicable()}.
   *
   * @throws SuiteException when the suite cannot be evaluated as it is (no cases, only
   *     scripted-only cases and a model, a case without a script and no model, an expectation
   *     naming a tool the workflow lacks)
   * @throws ConfigurationException when the workflow cannot be evaluated (a tool provider cannot
   *     isolate its data)
   */
  public EvalReport run(EvalSuite suite) {
    Objects.requireNonNull(suite, "suite");
    WorkflowDefinition definition = workflowFor(suite);
    List<NotApplicableCase> notApplicable = List.of();
    EvalSuite applicable = suite;
    if (model.isPresent()) {
      notApplicable =
          suite.cases().stream().filter(EvalCase::scriptedOnly).map(NotApplicableCase::of).toList();
      applicable = suite.withoutScriptedOnly();
      if (!suite.cases().isEmpty() && applicable.cases().isEmpty()) {
        throw SuitePlace.file(suite.source().toString())
            .problem(
                "scripted-only",
                "every selected case ("
                    + suite.cases().size()
                    + ") is scripted-only: it tests Bridle against its script's misbehaviour, so"
                    + " none applies to model "
                    + model.get().id()
                    + "; evaluate them with the scripted model, or select cases that are not"
                    + " scripted-only");
      }
    }
    check(applicable, definition);
    List<Scorer> scorers = new ArrayList<>(Scorers.builtIn(grader));
    scorers.addAll(extraScorers);
    CaseExecution execution =
        new CaseExecution(
            definition, model, scorers, services, loader, workDirectory, suite.refusalMarkers());
    Instant started = services.clock().instant();
    List<CaseResult> results = runAll(applicable.cases(), execution);
    Duration took = Duration.between(started, services.clock().instant());
    return new EvalReport(
        suite.name(),
        definition.name() + "@" + definition.version(),
        model.map(ChatModel::id).orElse("scripted"),
        started,
        took.isNegative() ? Duration.ZERO : took,
        results,
        notApplicable);
  }

  private List<CaseResult> runAll(List<EvalCase> cases, CaseExecution execution) {
    int total = cases.size();
    AtomicInteger done = new AtomicInteger();
    Object progressLock = new Object();
    ThreadFactory threads =
        new ThreadFactory() {
          private final AtomicInteger count = new AtomicInteger();

          @Override
          public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "bridle-eval-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, total), threads);
    try {
      List<Future<CaseResult>> futures = new ArrayList<>(total);
      for (EvalCase evalCase : cases) {
        futures.add(
            pool.submit(
                () -> {
                  synchronized (progressLock) {
                    progress.accept(new EvalProgress.CaseStarted(evalCase.id(), total));
                  }
                  CaseResult result = execution.run(evalCase);
                  synchronized (progressLock) {
                    progress.accept(
                        new EvalProgress.CaseFinished(result, done.incrementAndGet(), total));
                  }
                  return result;
                }));
      }
      List<CaseResult> results = new ArrayList<>(total);
      for (Future<CaseResult> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the evaluation was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("a case failed unexpectedly: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private WorkflowDefinition workflowFor(EvalSuite suite) {
    if (workflow.isPresent()) {
      return workflow.get();
    }
    Path file =
        suite
            .workflow()
            .orElseThrow(
                () ->
                    SuitePlace.file(suite.source().toString())
                        .problem(
                            "workflow",
                            "no workflow to evaluate: name one in the suite ('workflow:') or give"
                                + " one to the runner (bridle eval --workflow)"));
    return Workflows.load(file);
  }

  /** What would fail every case, or make a check vacuous, fails here before any case runs. */
  private void check(EvalSuite suite, WorkflowDefinition definition) {
    SuitePlace file = SuitePlace.file(suite.source().toString());
    if (suite.cases().isEmpty()) {
      throw file.problem("cases", "no case to run (are the --tag filters right?)");
    }
    if (model.isEmpty()) {
      List<String> unscripted =
          suite.cases().stream().filter(c -> c.script().isEmpty()).map(EvalCase::id).toList();
      if (!unscripted.isEmpty()) {
        throw file.problem(
            "script",
            "no model was given, so each case plays its script, but "
                + describeIds(unscripted)
                + " no script; add one, or evaluate with a model (bridle eval --model workflow)");
      }
    }
    if (grader.isEmpty()) {
      List<String> graded =
          suite.cases().stream()
              .filter(c -> c.expect().graded().isPresent())
              .map(EvalCase::id)
              .toList();
      if (!graded.isEmpty()) {
        throw file.problem(
            "expect.graded",
            describeIds(graded)
                + " a graded rubric, but no grader model was given (bridle eval --grader-model)");
      }
    }
    Set<String> offered = isolatedToolNames(definition);
    Set<String> providers =
        definition.tools().stream()
            .map(WorkflowDefinition.ToolSource::provider)
            .collect(Collectors.toSet());
    for (EvalCase evalCase : suite.cases()) {
      SuitePlace place = file.inCase(evalCase.id());
      evalCase
          .fixtures()
          .fieldNames()
          .forEachRemaining(
              provider -> {
                if (!providers.contains(provider)) {
                  throw place.problem(
                      "fixtures." + provider,
                      "workflow '"
                          + definition.name()
                          + "' has no tool provider '"
                          + provider
                          + "'; its providers: "
                          + String.join(", ", new TreeSet<>(providers)));
                }
              });
      List<String> noCalls = evalCase.expect().noCalls();
      for (int i = 0; i < noCalls.size(); i++) {
        requireTool(noCalls.get(i), offered, definition, place, "expect.no-calls[" + i + "]");
      }
      List<ExpectedCall> calls = evalCase.expect().toolCalls();
      for (int i = 0; i < calls.size(); i++) {
        // a malformed-output case may expect a call of a tool that does not exist
        if (!calls.get(i).status().contains(ObservedCall.Status.INVALID)) {
          requireTool(
              calls.get(i).tool(), offered, definition, place, "expect.tool-calls[" + i + "].tool");
        }
      }
      if (evalCase.human() instanceof SimulatedHuman.PerTool perTool) {
        for (int i = 0; i < perTool.answers().size(); i++) {
          requireTool(
              perTool.answers().get(i).tool(), offered, definition, place, "human[" + i + "].tool");
        }
      }
    }
  }

  private static void requireTool(
      String tool,
      Set<String> offered,
      WorkflowDefinition definition,
      SuitePlace place,
      String key) {
    if (!offered.contains(tool)) {
      throw place.problem(
          key,
          "workflow '"
              + definition.name()
              + "' offers no tool '"
              + tool
              + "'; it offers: "
              + String.join(", ", new TreeSet<>(offered)));
    }
  }

  /** The workflow's tools as isolated providers give them; fails when one cannot isolate. */
  private Set<String> isolatedToolNames(WorkflowDefinition definition) {
    Path probe;
    try {
      Files.createDirectories(workDirectory);
      probe = Files.createTempDirectory(workDirectory, "bridle-eval-check-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory under " + workDirectory, e);
    }
    try {
      List<Tool<?>> tools =
          Workflows.tools(
              definition,
              loader,
              provider -> provider.isolatedTools(JsonNodeFactory.instance.objectNode(), probe));
      return tools.stream().map(Tool::name).collect(Collectors.toCollection(TreeSet::new));
    } catch (UnsupportedOperationException e) {
      throw new ConfigurationException(
          "cannot evaluate workflow '"
              + definition.name()
              + "': "
              + e.getMessage()
              + "; an evaluation never runs on production data",
          e);
    } finally {
      CaseExecution.deleteQuietly(probe);
    }
  }

  private static String describeIds(List<String> ids) {
    String listed =
        ids.stream().limit(10).map(id -> "'" + id + "'").collect(Collectors.joining(", "));
    if (ids.size() > 10) {
      listed += " and " + (ids.size() - 10) + " more";
    }
    return (ids.size() == 1 ? "case " : "cases ") + listed + (ids.size() == 1 ? " has" : " have");
  }

  /** Builds an {@link EvalRunner}; every setting has a default. */
  public static final class Builder {
    private WorkflowDefinition workflow;
    private ChatModel model;
    private ChatModel grader;
    private final List<Scorer> scorers = new ArrayList<>();
    private int parallelism = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private WorkflowServices services = WorkflowServices.none();
    private ClassLoader loader = EvalRunner.class.getClassLoader();
    private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private Consumer<EvalProgress> progress = p -> {};

    private Builder() {}

    /** The workflow to evaluate (default: the one the suite names). */
    public Builder workflow(WorkflowDefinition workflow) {
      this.workflow = Objects.requireNonNull(workflow, "workflow");
      return this;
    }

    /**
     * The model for every case (default none: each case's scripted model plays its script). The
     * suite's {@code scripted-only} cases are then not run.
     */
    public Builder model(ChatModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The model that grades {@code expect.graded} rubrics (default none). */
    public Builder grader(ChatModel grader) {
      this.grader = Objects.requireNonNull(grader, "grader");
      return this;
    }

    /** A scorer to run after the built-in ones. */
    public Builder scorer(Scorer scorer) {
      scorers.add(Objects.requireNonNull(scorer, "scorer"));
      return this;
    }

    /**
     * How many cases run at once, 1 to {@value #MAX_PARALLELISM} (default: the cores, at most 4).
     */
    public Builder parallelism(int cases) {
      if (cases < 1 || cases > MAX_PARALLELISM) {
        throw new ConfigurationException(
            "parallelism must be between 1 and " + MAX_PARALLELISM + ", but was " + cases);
      }
      this.parallelism = cases;
      return this;
    }

    /**
     * The application's services: guard hooks and the clock (default {@link
     * WorkflowServices#none()}). Its tool supply, spend store and rate limiter are replaced per
     * case by isolated ones.
     */
    public Builder services(WorkflowServices services) {
      this.services = Objects.requireNonNull(services, "services");
      return this;
    }

    /** Where tool providers are found (default: this library's class loader). */
    public Builder classLoader(ClassLoader loader) {
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** The directory each case's temporary directory is made in (default: java.io.tmpdir). */
    public Builder workDirectory(Path directory) {
      this.workDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Told when each case starts and finishes; called one at a time from worker threads. */
    public Builder onProgress(Consumer<EvalProgress> listener) {
      this.progress = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public EvalRunner build() {
      return new EvalRunner(this);
    }
  }
}
