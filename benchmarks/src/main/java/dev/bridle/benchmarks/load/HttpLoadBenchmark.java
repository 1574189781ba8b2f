package dev.bridle.benchmarks.load;

import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.models.ChatModels;
import dev.bridle.server.BridleServer;
import dev.bridle.server.auth.InMemoryTokenStore;
import dev.bridle.server.auth.Role;
import dev.bridle.store.RunStores;
import dev.bridle.testkit.FakeOpenAiServer;
import dev.bridle.testkit.Responders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load through the HTTP API (docs/benchmarks.md, "HTTP load"): a fake OpenAI-compatible model
 * ({@link FakeOpenAiServer}, fixed latency, {@code steps} calls of a trivial READ tool, then {@code
 * done}), a {@link BridleServer} whose worker has one virtual-thread slot per run, on a SQLite file
 * (WAL) in a temporary directory, and N runs submitted at once with {@code POST /api/v1/runs} from
 * N virtual threads. It waits until {@code GET /api/v1/runs?status=queued} and {@code
 * ?status=running} are both empty, checks every run's outcome with {@code GET /api/v1/runs/{id}},
 * and reads the journals back for per-step timings ({@link StepLatencies}).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.bridle.benchmarks.load.HttpLoadBenchmark --runs 1000 --steps 5 --latency-ms 200
 * </pre>
 *
 * Prints a Markdown report to stdout.
 */
public final class HttpLoadBenchmark {

  /** Arguments of the benchmark's one tool. */
  public record Lookup(int n) {}

  private static final String WORKFLOW = "load";

  private HttpLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String loadBefore = HeapSampler.loadAverage();
    Path dir = Files.createTempDirectory("bridle-load");
    Path db = dir.resolve("bridle.db");
    RunQueue queue = RunStores.openQueue("sqlite:" + db);
    InMemoryTokenStore tokens = new InMemoryTokenStore();
    String token = tokens.issue("loadbench", Role.OPERATOR).secret();

    try (FakeOpenAiServer fake =
            FakeOpenAiServer.builder()
                .latency(Duration.ofMillis(options.latencyMs()))
                .responder(Responders.noopSteps(options.steps()))
                .build()
                .start();
        HeapSampler heap = new HeapSampler(Duration.ofMillis(50))) {
      ChatModel model =
          ChatModels.create(
              ModelSpec.of("openai", "fake-model")
                  .withBaseUrl(fake.baseUrl())
                  .withTimeout(Duration.ofSeconds(options.timeoutS())),
              Map.of());
      Tool<Lookup> lookup =
          Tool.builder("lookup", Lookup.class)
              .description("Looks up an entry; returns ok")
              .effect(Effect.READ)
              .idempotent(true)
              .handler((a, context) -> "ok " + a.n())
              .build();
      BridleServer server =
          BridleServer.builder()
              .queue(queue)
              .killSwitch(KillSwitch.NONE)
              .tokens(tokens)
              .workflow(
                  WORKFLOW,
                  journal ->
                      Agent.builder()
                          .name(WORKFLOW)
                          .instructions("You are a load-test agent.")
                          .model(model)
                          .tool(lookup)
                          .journal(journal)
                          .limits(
                              Limits.DEFAULT
                                  .withMaxSteps(options.steps() + 2)
                                  .withDeadline(Duration.ofSeconds(options.timeoutS())))
                          .build())
              .port(0)
              .workerConcurrency(options.slots())
              .pollInterval(Duration.ofMillis(options.pollMs()))
              .leaseTime(Duration.ofSeconds(60))
              .build()
              .start();
      try {
        run(options, server, queue, fake, heap, token, loadBefore, db);
      } finally {
        server.close();
        queue.store().close();
        deleteQuietly(dir);
      }
    }
    System.exit(0);
  }

  private static void run(
      Options options,
      BridleServer server,
      RunQueue queue,
      FakeOpenAiServer fake,
      HeapSampler heap,
      String token,
      String loadBefore,
      Path db)
      throws Exception {
    ApiClient api = new ApiClient(server.port(), token);
    int n = options.runs();
    String task = "Look up " + options.steps() + " entries, then answer \"done\".";
    String warmup = "none";
    if (options.warmup() > 0) {
      long w0 = System.nanoTime();
      List<String> warmIds = Collections.synchronizedList(new ArrayList<>());
      try (ExecutorService warm = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < options.warmup(); i++) {
          String user = "warm" + i;
          warm.execute(
              () -> {
                try {
                  ApiClient.Submitted answer = api.submit(WORKFLOW, task, user);
                  if (answer.accepted()) {
                    warmIds.add(answer.runId());
                  }
                } catch (IOException | RuntimeException e) {
                  System.err.println("warm-up POST failed: " + e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
        }
      }
      while (api.idsWithStatus("queued").size() + api.idsWithStatus("running").size() > 0) {
        Thread.sleep(options.pollMs());
      }
      warmup =
          warmIds.size()
              + " runs, same shape, not counted ("
              + ms(System.nanoTime() - w0)
              + "); max heap and GC figures include it";
    }
    List<String> ids = Collections.synchronizedList(new ArrayList<>(n));
    List<Long> submitMicros = Collections.synchronizedList(new ArrayList<>(n));
    Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch submitted = new CountDownLatch(n);
    Semaphore inFlight = new Semaphore(options.submitters());

    // The worker's idle slots poll the queue on their own; what that costs with nothing to run.
    long idle0 = HeapSampler.processCpuNanos();
    Thread.sleep(2000);
    double idleCpuShare = (HeapSampler.processCpuNanos() - idle0) / 2e9;

    long cpu0 = HeapSampler.processCpuNanos();
    long[] gc0 = HeapSampler.gcCountAndMillis();
    ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    for (int i = 0; i < n; i++) {
      String user = "user" + i;
      clients.execute(
          () -> {
            try {
              go.await();
              inFlight.acquire();
              long start = System.nanoTime();
              ApiClient.Submitted answer;
              try {
                answer = api.submit(WORKFLOW, task, user);
              } finally {
                inFlight.release();
              }
              submitMicros.add((System.nanoTime() - start) / 1000);
              if (answer.accepted()) {
                ids.add(answer.runId());
              } else {
                count(errors, "POST /runs " + answer.status() + ": " + answer.body());
              }
            } catch (IOException | RuntimeException e) {
              count(errors, "POST /runs " + e.getClass().getSimpleName() + ": " + e.getMessage());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              submitted.countDown();
            }
          });
    }
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    go.countDown();
    submitted.await();
    long submitNs = System.nanoTime() - t0;

    long deadline = t0 + Duration.ofSeconds(options.timeoutS()).toNanos();
    int pending = -1;
    while (System.nanoTime() < deadline) {
      pending = api.idsWithStatus("queued").size() + api.idsWithStatus("running").size();
      if (pending == 0) {
        break;
      }
      Thread.sleep(options.pollMs());
    }
    long observedNs = System.nanoTime() - t0;
    long cpuNs = HeapSampler.processCpuNanos() - cpu0;
    long[] gc1 = HeapSampler.gcCountAndMillis();
    heap.close();
    String loadAfter = HeapSampler.loadAverage();
    clients.close();

    // Outside the measured window: every run's outcome through the API, and its journal.
    Map<String, Integer> outcomes = new TreeMap<>();
    StepLatencies steps = new StepLatencies();
    int ok = 0;
    long toolCalls = 0;
    long modelCalls = 0;
    for (String id : ids) {
      String status;
      try {
        status = api.outcomeStatus(id);
      } catch (IOException e) {
        status = "GET failed: " + e.getMessage();
      }
      outcomes.merge(status, 1, Integer::sum);
      List<JournalEntry> entries = queue.store().read(RunId.of(id));
      steps.add(entries, options.latencyMs());
      long calls =
          entries.stream()
              .filter(
                  e ->
                      e.event() instanceof RunEvent.ToolCallCompleted c
                          && c.status() == RunEvent.CallStatus.SUCCEEDED)
              .count();
      long responses =
          entries.stream().filter(e -> e.event() instanceof RunEvent.ModelResponded).count();
      toolCalls += calls;
      modelCalls += responses;
      if (status.equals("COMPLETED") && calls == options.steps()) {
        ok++;
      } else {
        count(errors, "run ended " + status + " with " + calls + " tool calls");
      }
    }
    long liveAfterGc = heap.usedAfterGc();

    double wallS =
        steps.lastEnded == null
            ? observedNs / 1e9
            : Duration.between(startedAt, steps.lastEnded).toNanos() / 1e9;
    long mb = 1024 * 1024;
    StringBuilder out = new StringBuilder();
    out.append("## HTTP load: ").append(n).append(" runs\n\n");
    out.append("| setting | value |\n|---|---|\n");
    out.append(row("runs submitted at once", n));
    out.append(row("tool steps per run (+1 answering call)", options.steps()));
    out.append(row("fake model latency per call", options.latencyMs() + " ms"));
    out.append(row("POSTs in flight at most (client)", options.submitters()));
    out.append(row("worker slots (virtual threads)", options.slots()));
    out.append(row("worker poll interval", options.pollMs() + " ms"));
    out.append(row("store", "SQLite (WAL) " + db.getFileName()));
    out.append(row("cores", Runtime.getRuntime().availableProcessors()));
    out.append(
        row(
            "JVM",
            "Java " + Runtime.version() + ", -Xmx " + HeapSampler.maxHeapBytes() / mb + " MiB"));
    out.append(row("warm-up before the measured runs", warmup));
    out.append(row("load average before / after (1, 5, 15 min)", loadBefore + " / " + loadAfter));
    out.append("\n| result | value |\n|---|---|\n");
    out.append(
        row(
            "process CPU while idle, 2 s before the POSTs (" + options.slots() + " slots polling)",
            String.format("%.2f cores", idleCpuShare)));
    out.append(row("runs accepted (202)", ids.size()));
    out.append(row("runs completed with all tool calls", ok));
    out.append(row("outcomes (GET /runs/{id})", outcomes));
    out.append(row("errors", errors.isEmpty() ? "none" : errorText(errors)));
    out.append(row("still queued or running at the end", pending));
    out.append(row("all POSTs answered after", ms(submitNs)));
    out.append(
        row(
            "POST /runs latency p50 / p99 / max",
            StepLatencies.pctMs(submitMicros, 50)
                + " / "
                + StepLatencies.pctMs(submitMicros, 99)
                + " / "
                + StepLatencies.pctMs(submitMicros, 100)
                + " ms"));
    out.append(row("wall: first POST to last run ended (journal)", String.format("%.2f s", wallS)));
    out.append(row("wall: first POST to nothing queued/running seen (API poll)", ms(observedNs)));
    out.append(row("runs/s", String.format("%.1f", ok / wallS)));
    out.append(row("tool steps/s", String.format("%.1f", toolCalls / wallS)));
    out.append(
        row(
            "model calls/s (fake server counted " + fake.requestCount() + ")",
            String.format("%.1f", modelCalls / wallS)));
    out.append(
        row(
            "ideal wall (model latency only)",
            String.format("%.2f s", (options.steps() + 1) * options.latencyMs() / 1000.0)));
    out.append(
        row(
            "process CPU in the window",
            String.format(
                "%.1f s (%.2f ms per model call)",
                cpuNs / 1e9, cpuNs / 1e6 / Math.max(1, modelCalls))));
    out.append(
        row(
            "max heap used (sampled every 50 ms, " + heap.samples() + " samples)",
            heap.maxUsedBytes() / mb
                + " MiB (committed max "
                + heap.maxCommittedBytes() / mb
                + " MiB)"));
    out.append(
        row(
            "heap live after a full GC at the end (runs done, server up)",
            liveAfterGc / mb + " MiB"));
    out.append(row("peak RSS", HeapSampler.peakRssKb() / 1024 + " MiB"));
    out.append(row("GCs in the window", (gc1[0] - gc0[0]) + " (" + (gc1[1] - gc0[1]) + " ms)"));
    out.append("\nPer step, ms (")
        .append(steps.added.size())
        .append(" model calls; see StepLatencies):\n\n");
    out.append("| measure | p50 | p99 | mean | max |\n|---|---:|---:|---:|---:|\n");
    out.append(pctRow("added per step: step gap − " + options.latencyMs() + " ms", steps.added));
    out.append(
        pctRow("of which outside the model call: gap − latencyMillis", steps.outsideModelCall));
    out.append(
        pctRow(
            "of which in the model call: latencyMillis − " + options.latencyMs() + " ms",
            steps.modelCallOverhead));
    out.append(pctRow("queue wait: RunSubmitted → RunStarted", steps.queueWait));
    out.append(pctRow("tail: last ModelResponded → RunCompleted", steps.tail));
    System.out.print(out);
    System.out.flush();
  }

  private static String row(String name, Object value) {
    return "| " + name + " | " + value + " |\n";
  }

  private static String pctRow(String name, List<Long> micros) {
    return "| "
        + name
        + " | "
        + StepLatencies.pctMs(micros, 50)
        + " | "
        + StepLatencies.pctMs(micros, 99)
        + " | "
        + StepLatencies.meanMs(micros)
        + " | "
        + StepLatencies.pctMs(micros, 100)
        + " |\n";
  }

  private static String ms(long nanos) {
    return String.format("%.2f s", nanos / 1e9);
  }

  private static String errorText(Map<String, AtomicInteger> errors) {
    StringBuilder text = new StringBuilder();
    errors.forEach(
        (k, v) -> text.append(v.get()).append("× ").append(k.replace('|', '/')).append("; "));
    return text.toString();
  }

  private static void count(Map<String, AtomicInteger> errors, String message) {
    String key = message.length() > 160 ? message.substring(0, 160) + "…" : message;
    errors.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  /** Command-line options; every one has a default. */
  record Options(
      int runs,
      int steps,
      long latencyMs,
      int slots,
      long pollMs,
      long timeoutS,
      int warmup,
      int submitters) {

    static Options parse(String[] args) {
      int runs = 1000;
      int steps = 5;
      long latencyMs = 200;
      Integer slots = null;
      long pollMs = 100;
      long timeoutS = 300;
      int warmup = 0;
      Integer submitters = null;
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        if (value == null) {
          throw new IllegalArgumentException("argument " + args[i] + " needs a value");
        }
        switch (args[i]) {
          case "--runs" -> runs = Integer.parseInt(value);
          case "--steps" -> steps = Integer.parseInt(value);
          case "--latency-ms" -> latencyMs = Long.parseLong(value);
          case "--slots" -> slots = Integer.parseInt(value);
          case "--poll-ms" -> pollMs = Long.parseLong(value);
          case "--timeout-s" -> timeoutS = Long.parseLong(value);
          case "--warmup" -> warmup = Integer.parseInt(value);
          case "--submitters" -> submitters = Integer.parseInt(value);
          default ->
              throw new IllegalArgumentException(
                  "unknown argument "
                      + args[i]
                      + "; known: --runs --steps --latency-ms --slots --poll-ms --timeout-s --warmup --submitters");
        }
        i++;
      }
      return new Options(
          runs,
          steps,
          latencyMs,
          slots == null ? runs : slots,
          pollMs,
          timeoutS,
          warmup,
          submitters == null ? runs : submitters);
    }
  }
}
