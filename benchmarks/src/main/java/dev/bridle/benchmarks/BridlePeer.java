package dev.bridle.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.run.RunResult;
import dev.bridle.models.ChatModels;
import dev.bridle.store.RunStores;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bridle as a peer of the agent-framework comparison in {@code shared/peers} (its README holds the
 * contract): N runs of one agent with one tool {@code noop(n: integer) -> "ok"} at once, one
 * virtual thread per run, through the real OpenAI adapter ({@link ChatModels}, retries off) against
 * the harness's fake model, every event journaled durably.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.bridle.benchmarks.BridlePeer --base-url http://127.0.0.1:PORT/v1 \
 *     --concurrency 1000 --steps 5 --timeout-ms 170000 [--db postgresql://postgres@127.0.0.1:25432/peers]
 * </pre>
 *
 * <p>{@code --db memory} keeps the journal in memory (not durable: only to tell the store's share
 * of the cost). Without {@code --db} the journal is a SQLite file in a temporary directory, deleted
 * at the end. With a PostgreSQL URL the Bridle tables are emptied first (unless {@code
 * --no-truncate}) and the bytes stored per tool step are reported like the harness reports them for
 * LangGraph: {@code pg_disk_bytes_per_step} from {@code pg_total_relation_size} of {@code events},
 * {@code runs} and {@code snapshots} before and after, {@code pg_row_bytes_per_step} from {@code
 * sum(pg_column_size(row))}. One JSON line goes to stdout; nothing else does.
 */
public final class BridlePeer {

  private static final String FRAMEWORK = "bridle 0.1.0-SNAPSHOT";

  private BridlePeer() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    // Libraries must not write to stdout: the harness takes the last line starting with '{'.
    System.setOut(System.err);
    Options options = Options.parse(args);

    Path tempDir = null;
    String storeUrl;
    if (options.db().isPresent()) {
      storeUrl = options.db().get();
    } else {
      tempDir = Files.createTempDirectory("bridle-peer");
      storeUrl = "sqlite:" + tempDir.resolve("bridle.db");
    }
    Optional<PostgresSizes> sizes =
        storeUrl.startsWith("postgres")
            ? Optional.of(PostgresSizes.of(storeUrl))
            : Optional.empty();
    if (sizes.isPresent() && !options.noTruncate()) {
      sizes.get().truncate();
    }

    RunStore store = storeUrl.equals("memory") ? new InMemoryRunStore() : RunStores.open(storeUrl);
    ChatModel model =
        ChatModels.create(
            ModelSpec.of("openai", "gpt-bench")
                .withBaseUrl(options.baseUrl())
                .withTimeout(Duration.ofMillis(options.timeoutMs())),
            Map.of());
    Agent agent =
        Agent.builder()
            .name("bench")
            .instructions("You are a benchmark agent.")
            .model(model)
            .tool(NoopTool.create())
            .journal(store)
            .limits(
                Limits.DEFAULT
                    .withMaxSteps(options.steps() + 2)
                    .withDeadline(Duration.ofMillis(options.timeoutMs())))
            .build();
    String task = "Run the tool " + options.steps() + " times, then answer \"done\".";
    String prefix =
        "p" + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime(), 36);

    PostgresSizes.Sample before = sizes.isPresent() ? sizes.get().sample() : null;

    int n = options.concurrency();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong modelCalls = new AtomicLong();
    AtomicLong toolCalls = new AtomicLong();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>(n));
    Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(n);

    long cpu0 = ProcessStats.cpuNanos();
    long t0 = System.nanoTime();
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    for (int i = 0; i < n; i++) {
      RunId runId = RunId.of(prefix + "-" + i);
      executor.execute(
          () -> {
            long start = System.nanoTime();
            try {
              RunResult result = agent.run(runId, task);
              modelCalls.addAndGet(result.steps());
              toolCalls.addAndGet(result.toolCalls().size());
              String answer = result.answer().orElse("");
              if (result.toolCalls().size() == options.steps() && answer.contains("done")) {
                ok.incrementAndGet();
                latencies.add(System.nanoTime() - start);
              } else {
                failed.incrementAndGet();
                count(
                    errors,
                    "wrong result: toolCalls="
                        + result.toolCalls().size()
                        + " outcome="
                        + result.outcome());
              }
            } catch (RuntimeException | Error e) {
              failed.incrementAndGet();
              count(errors, e.getClass().getSimpleName() + ": " + e.getMessage());
            } finally {
              done.countDown();
            }
          });
    }
    boolean finished = done.await(options.timeoutMs(), TimeUnit.MILLISECONDS);
    long wallNs = System.nanoTime() - t0;
    long cpuNs = ProcessStats.cpuNanos() - cpu0;
    if (!finished) {
      long missing = done.getCount();
      failed.addAndGet((int) missing);
      errors.computeIfAbsent("timeout", k -> new AtomicInteger()).addAndGet((int) missing);
    }

    Map<String, Object> line = new LinkedHashMap<>();
    line.put("peer", "bridle");
    line.put("framework", FRAMEWORK);
    line.put("runtime", "java " + Runtime.version());
    line.put("n", n);
    line.put("steps", options.steps());
    line.put("ok", ok.get());
    line.put("failed", failed.get());
    double wallS = wallNs / 1e9;
    line.put("wall_ms", Math.round(wallNs / 1e6));
    line.put("runs_per_s", round1(ok.get() / wallS));
    line.put("model_calls", modelCalls.get());
    line.put("calls_per_s", round1(modelCalls.get() / wallS));
    line.put("peak_rss_mb", round1(ProcessStats.peakRssKb() / 1024.0));
    line.put("cpu_ms", Math.round(cpuNs / 1e6));
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    line.put("run_p50_ms", sorted.isEmpty() ? null : Math.round(percentile(sorted, 50) / 1e6));
    line.put("run_p99_ms", sorted.isEmpty() ? null : Math.round(percentile(sorted, 99) / 1e6));
    line.put("heap_max_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    line.put(
        "store",
        storeUrl.equals("memory")
            ? "memory"
            : storeUrl.startsWith("postgres") ? "postgresql" : "sqlite");
    if (before != null && finished) {
      PostgresSizes.Sample after = sizes.get().sample();
      long steps = Math.max(1, toolCalls.get());
      long runs = Math.max(1, ok.get() + failed.get());
      line.put("pg_disk_bytes_delta", after.diskBytes() - before.diskBytes());
      line.put(
          "pg_disk_bytes_per_step",
          Math.round((after.diskBytes() - before.diskBytes()) / (double) steps));
      line.put(
          "pg_row_bytes_per_step",
          Math.round((after.rowBytes() - before.rowBytes()) / (double) steps));
      line.put(
          "pg_event_bytes_per_step",
          Math.round((after.eventRowBytes() - before.eventRowBytes()) / (double) steps));
      line.put("pg_events_per_run", round1((after.events() - before.events()) / (double) runs));
    }
    if (!errors.isEmpty()) {
      Map<String, Integer> e = new LinkedHashMap<>();
      errors.forEach((k, v) -> e.put(k, v.get()));
      line.put("errors", e);
    }
    out.println(new ObjectMapper().writeValueAsString(line));
    out.flush();
    if (finished) {
      executor.close();
      store.close();
    }
    if (tempDir != null) {
      deleteQuietly(tempDir);
    }
    System.exit(0);
  }

  private static void count(Map<String, AtomicInteger> errors, String message) {
    String key = message.length() > 200 ? message.substring(0, 200) + "..." : message;
    errors.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double round1(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  /** The peer contract's arguments, plus {@code --db URL} and {@code --no-truncate}. */
  record Options(
      String baseUrl,
      int concurrency,
      int steps,
      long timeoutMs,
      Optional<String> db,
      boolean noTruncate) {

    static Options parse(String[] args) {
      String baseUrl = null;
      int concurrency = 1;
      int steps = 5;
      long timeoutMs = 170_000;
      String db = null;
      boolean noTruncate = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--base-url" -> baseUrl = args[++i];
          case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
          case "--steps" -> steps = Integer.parseInt(args[++i]);
          case "--timeout-ms" -> timeoutMs = Long.parseLong(args[++i]);
          case "--db" -> db = args[++i];
          case "--no-truncate" -> noTruncate = true;
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
      }
      if (baseUrl == null) {
        throw new IllegalArgumentException("--base-url is required");
      }
      if (db == null && System.getenv("BRIDLE_PEER_DB") != null) {
        db = System.getenv("BRIDLE_PEER_DB");
      }
      return new Options(
          baseUrl, concurrency, steps, timeoutMs, Optional.ofNullable(db), noTruncate);
    }
  }
}
