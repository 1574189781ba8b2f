package dev.bridle.benchmarks;

import dev.bridle.core.journal.ForwardingRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.store.RunStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable journal's own numbers, printed as Markdown tables: appends per second on SQLite and
 * PostgreSQL for one run appending alone and for 100 runs appending at once (group commit); the
 * time {@link Agent#resume} takes for a run interrupted after 1,000 events, with and without
 * snapshots; and the bytes stored per tool step on PostgreSQL for runs of 10, 100 and 999 tool
 * steps.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.bridle.benchmarks.StoreBenchmark [--pg postgresql://postgres@127.0.0.1:25432/peers]
 *     [--seconds 5] [--resume-reps 10]
 * </pre>
 *
 * <p>Without {@code --pg} only SQLite is measured (a file in a temporary directory). With it, the
 * Bridle tables of that database are emptied: use a benchmark database.
 */
public final class StoreBenchmark {

  private static final int CONCURRENT_RUNS = 100;
  private static final int RESUME_EVENTS = 1000;
  private static final String AGENT = "bench";
  private static final int RESUME_WARMUPS = 3;

  private StoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    Optional<String> pg = Optional.empty();
    int seconds = 5;
    int resumeReps = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pg" -> pg = Optional.of(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--resume-reps" -> resumeReps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("bridle-store-bench");
    List<String[]> stores = new ArrayList<>();
    stores.add(new String[] {"SQLite", "sqlite:" + dir.resolve("bench.db")});
    pg.ifPresent(url -> stores.add(new String[] {"PostgreSQL", url}));
    Optional<PostgresSizes> sizes = pg.map(PostgresSizes::of);
    sizes.ifPresent(PostgresSizes::truncate);

    System.out.printf(
        "Store benchmark, %s, java %s, %d cores, load average at start %.2f%n%n",
        Instant.now(),
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());

    System.out.println("| store | writers | appends/s | mean ms per append (per writer) |");
    System.out.println("|---|---:|---:|---:|");
    for (String[] store : stores) {
      try (RunStore runStore = RunStores.open(store[1])) {
        for (int writers : new int[] {1, CONCURRENT_RUNS}) {
          appends(runStore, writers, Duration.ofSeconds(1)); // warm-up
          double perSecond = appends(runStore, writers, Duration.ofSeconds(seconds));
          System.out.printf(
              "| %s | %d | %,.0f | %.2f |%n",
              store[0], writers, perSecond, writers * 1000 / perSecond);
        }
      }
    }
    sizes.ifPresent(PostgresSizes::truncate);

    System.out.println();
    System.out.printf(
        "| store | snapshots | events in run | resume ms (median of %d) | min–max | read all events ms |%n",
        resumeReps);
    System.out.println("|---|---|---:|---:|---:|---:|");
    for (String[] store : stores) {
      try (RunStore runStore = RunStores.open(store[1])) {
        for (int snapshotEvery : new int[] {100, Integer.MAX_VALUE}) {
          resume(runStore, store[0], snapshotEvery, resumeReps);
        }
      }
    }

    if (sizes.isPresent()) {
      System.out.println();
      System.out.println(
          "| tool steps per run | runs | snapshots | events per step | disk bytes per step | row bytes per step"
              + " | of which events | of which snapshots + runs |");
      System.out.println("|---:|---:|---|---:|---:|---:|---:|---:|");
      try (RunStore runStore = RunStores.open(pg.get())) {
        for (int[] shape :
            new int[][] {{10, 100, 100}, {100, 10, 100}, {999, 2, 100}, {999, 2, 0}}) {
          bytesPerStep(runStore, sizes.get(), shape[0], shape[1], shape[2]);
        }
      }
      sizes.get().truncate();
    }
    deleteQuietly(dir);
    System.exit(0);
  }

  // ---- appends -------------------------------------------------------------------------------

  /** {@code writers} runs, each appending step events one after another until {@code time} ends. */
  private static double appends(RunStore store, int writers, Duration time) throws Exception {
    String prefix = "a" + Long.toString(System.nanoTime(), 36);
    AtomicLong count = new AtomicLong();
    long deadline = System.nanoTime() + time.toNanos();
    long start = System.nanoTime();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        RunId runId = RunId.of(prefix + "-" + w);
        futures.add(
            executor.submit(
                () -> {
                  long seq = store.append(runId, 0, runStarted());
                  int step = 1;
                  while (System.nanoTime() < deadline) {
                    for (RunEvent event : stepEvents(runId, step++)) {
                      seq = store.append(runId, seq, event);
                      count.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return count.get() / elapsed;
  }

  private static RunEvent runStarted() {
    return new RunEvent.RunStarted(
        Instant.now(),
        AGENT,
        "1",
        "agent:" + AGENT + "@1",
        "local",
        "You are a benchmark agent.",
        "Run the tool many times, then answer \"done\".",
        "openai/gpt-bench");
  }

  /** The four events of one tool step, shaped like the agent loop's. */
  private static List<RunEvent> stepEvents(RunId runId, int step) {
    Instant now = Instant.now();
    String callId = "call_" + step;
    String arguments = "{\"n\":" + step + "}";
    return List.of(
        new RunEvent.ModelResponded(
            now,
            step,
            "openai/gpt-bench",
            new ChatMessage.Assistant("", List.of(new ToolCall(callId, "noop", arguments))),
            new Usage(60 + 20L * step, 12, 0),
            2),
        new RunEvent.ToolCallProposed(now, step, callId, "noop", arguments),
        new RunEvent.ToolCallStarted(
            now, callId, "noop", Effect.READ, true, runId.value() + "/" + callId, arguments),
        new RunEvent.ToolCallCompleted(
            now, callId, "noop", RunEvent.CallStatus.SUCCEEDED, "ok", 0));
  }

  // ---- resume --------------------------------------------------------------------------------

  private static void resume(RunStore store, String storeName, int snapshotEvery, int reps)
      throws Exception {
    int toolSteps = RESUME_EVENTS / 4 + 1;
    ScriptedChatModel model = script(toolSteps);
    List<RunId> runs = new ArrayList<>();
    String prefix = "r" + Long.toString(System.nanoTime(), 36);
    // Interrupted runs, written at once: one for warm-up, then one per measurement.
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < RESUME_WARMUPS + reps; r++) {
        RunId runId = RunId.of(prefix + "-" + r);
        runs.add(runId);
        Agent crashing =
            agent(new CrashAfter(store, RESUME_EVENTS), model, toolSteps, snapshotEvery);
        futures.add(executor.submit(() -> runUntilCrash(crashing, runId)));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    Agent agent = agent(store, model, toolSteps, snapshotEvery);
    List<Double> millis = new ArrayList<>();
    List<Double> readMillis = new ArrayList<>();
    long events = 0;
    for (int r = 0; r < RESUME_WARMUPS + reps; r++) {
      RunId runId = runs.get(r);
      long t0 = System.nanoTime();
      events = store.read(runId).size();
      double read = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      RunResult result = agent.resume(runId);
      double resume = (System.nanoTime() - t0) / 1e6;
      if (!result.completed() || !result.answer().orElse("").contains("done")) {
        throw new IllegalStateException("resumed run did not complete: " + result.outcome());
      }
      if (r >= RESUME_WARMUPS) {
        millis.add(resume);
        readMillis.add(read);
      }
    }
    Collections.sort(millis);
    Collections.sort(readMillis);
    System.out.printf(
        "| %s | %s | %d | %.1f | %.1f–%.1f | %.1f |%n",
        storeName,
        snapshotEvery == Integer.MAX_VALUE ? "none" : "every " + snapshotEvery + " events",
        events,
        millis.get(millis.size() / 2),
        millis.get(0),
        millis.get(millis.size() - 1),
        readMillis.get(readMillis.size() / 2));
  }

  private static Void runUntilCrash(Agent agent, RunId runId) {
    try {
      RunResult result = agent.run(runId, "Run the tool many times, then answer \"done\".");
      throw new IllegalStateException("the run was expected to crash but ended: " + result);
    } catch (CrashAfter.SimulatedCrash expected) {
      return null;
    }
  }

  private static ScriptedChatModel script(int toolSteps) {
    ScriptedChatModel.Builder script = ScriptedChatModel.builder().name("gpt-bench");
    for (int i = 0; i < toolSteps; i++) {
      script.thenCall("noop", Map.of("n", i));
    }
    return script.thenAnswer("done").build();
  }

  private static Agent agent(
      RunStore journal, ScriptedChatModel model, int toolSteps, int snapshotEvery) {
    return Agent.builder()
        .name(AGENT)
        .instructions("You are a benchmark agent.")
        .model(model)
        .tool(NoopTool.create())
        .journal(journal)
        .snapshotEvery(snapshotEvery)
        .limits(Limits.DEFAULT.withMaxSteps(toolSteps + 1).withDeadline(Duration.ofMinutes(10)))
        .build();
  }

  /** A store that fails every append after {@code limit} events of a run, as a crash would. */
  private static final class CrashAfter extends ForwardingRunStore {
    private final long limit;

    CrashAfter(RunStore delegate, long limit) {
      super(delegate);
      this.limit = limit;
    }

    static final class SimulatedCrash extends RuntimeException {
      private static final long serialVersionUID = 1L;

      SimulatedCrash() {
        super("simulated crash", null, false, false);
      }
    }

    @Override
    public long append(RunId runId, long expectedLastSeq, RunEvent event) {
      if (expectedLastSeq >= limit) {
        throw new SimulatedCrash();
      }
      return super.append(runId, expectedLastSeq, event);
    }
  }

  // ---- bytes per step ------------------------------------------------------------------------

  private static void bytesPerStep(
      RunStore store, PostgresSizes sizes, int toolSteps, int runs, int snapshotEvery)
      throws Exception {
    sizes.truncate();
    Agent agent =
        agent(
            store,
            script(toolSteps),
            toolSteps,
            snapshotEvery == 0 ? Integer.MAX_VALUE : snapshotEvery);
    PostgresSizes.Sample before = sizes.sample();
    String prefix = "b" + Long.toString(System.nanoTime(), 36);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<RunResult>> futures = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        RunId runId = RunId.of(prefix + "-" + r);
        futures.add(executor.submit(() -> agent.run(runId, "Run the tool, then answer \"done\".")));
      }
      for (Future<RunResult> future : futures) {
        RunResult result = future.get();
        if (!result.completed() || result.toolCalls().size() != toolSteps) {
          throw new IllegalStateException("run did not complete: " + result.outcome());
        }
      }
    }
    PostgresSizes.Sample after = sizes.sample();
    double steps = (double) toolSteps * runs;
    long rows = after.rowBytes() - before.rowBytes();
    long eventRows = after.eventRowBytes() - before.eventRowBytes();
    System.out.printf(
        "| %d | %d | %s | %.2f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
        toolSteps,
        runs,
        snapshotEvery == 0 ? "none" : "every " + snapshotEvery,
        (after.events() - before.events()) / steps,
        (after.diskBytes() - before.diskBytes()) / steps,
        rows / steps,
        eventRows / steps,
        (rows - eventRows) / steps);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
