package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.cost.BudgetLedger;
import dev.bridle.core.cost.BudgetScope;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.cost.Spend;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.run.Agent;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the model calls cost (DESIGN §5), for the dashboard: tokens and dollars in a time window per
 * workflow, user and model, in hourly or daily buckets, summed from the runs' {@code
 * ModelResponded} events; what the served workflows' budgets have used in their current period and
 * the thresholds runs crossed; and what given runs cost.
 */
final class SpendApi {

  /** Runs looked at for one window, newest first; beyond it the answer says it is truncated. */
  static final int MAX_RUNS = 5_000;

  static final int MAX_BUCKETS = 1_000;
  static final int MAX_RUN_IDS = 200;
  static final int MAX_BUDGET_ALERTS = 100;
  static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

  /** The width of a bucket of the series. */
  enum Bucket {
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    Bucket(ChronoUnit unit) {
      this.unit = unit;
    }
  }

  private final ServerContext server;

  SpendApi(ServerContext server) {
    this.server = server;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/v1/spend", Access.VIEWER, this::spend),
        Route.get("/api/v1/spend/runs", Access.VIEWER, this::runs));
  }

  /** {@code GET /spend?since&until&bucket&workflow&user}. */
  private void spend(Context ctx) {
    Window window = window(ctx);
    RunQuery query = RunQuery.ALL.withCreatedBefore(window.until()).withLimit(MAX_RUNS);
    Optional<String> workflow = Requests.textParam(ctx, "workflow", 64);
    Optional<String> user = Requests.textParam(ctx, "user", 128);
    query = workflow.map(query::withWorkflow).orElse(query);
    query = user.map(query::withUser).orElse(query);
    List<RunSummary> runs = server.store().list(query);

    Scan scan = new Scan(window);
    for (RunSummary run : runs) {
      if (!run.updatedAt().isBefore(window.since())) {
        scan.add(run, server.store().read(run.runId()));
      }
    }

    ObjectNode out = Jsons.object();
    out.put("since", Views.time(window.since()));
    out.put("until", Views.time(window.until()));
    out.put("bucket", window.bucket().name().toLowerCase(Locale.ROOT));
    out.put("runs", scan.runs);
    out.put("truncated", runs.size() == MAX_RUNS);
    out.set("buckets", Views.strings(window.buckets().stream().map(Views::time).toList()));
    out.set("total", scan.total.json(false));
    out.set("byWorkflow", groups(scan.byWorkflow));
    out.set("byUser", groups(scan.byUser));
    out.set("byModel", groups(scan.byModel));
    out.set("budgets", budgets(scan.usersByWorkflow));
    ArrayNode alerts = out.putArray("budgetAlerts");
    scan.alerts.stream()
        .sorted(Comparator.comparing((ObjectNode a) -> a.get("at").asText()).reversed())
        .limit(MAX_BUDGET_ALERTS)
        .forEach(alerts::add);
    Responses.ok(ctx, out);
  }

  /**
   * The time window asked for and its buckets.
   *
   * @param buckets the start of each bucket, the first at or before {@code since}
   */
  private record Window(Instant since, Instant until, Bucket bucket, List<Instant> buckets) {

    /** The bucket {@code at} falls in. */
    int index(Instant at) {
      return (int) bucket.unit.between(buckets.getFirst(), at.truncatedTo(bucket.unit));
    }

    boolean contains(Instant at) {
      return !at.isBefore(since) && at.isBefore(until);
    }
  }

  private Window window(Context ctx) {
    Instant until = Requests.instantParam(ctx, "until").orElse(server.clock().instant());
    Instant since = Requests.instantParam(ctx, "since").orElse(until.minus(DEFAULT_WINDOW));
    if (!since.isBefore(until)) {
      throw ApiException.invalid(
          "since", "since must be before until, but was " + since + " (until " + until + ")");
    }
    Bucket bucket = bucket(Requests.textParam(ctx, "bucket", 8).orElse("day"));
    return new Window(since, until, bucket, buckets(since, until, bucket));
  }

  /** What the model calls of the runs looked at spent in the window, and the budget alerts. */
  private final class Scan {
    private final Window window;
    private final Tally total;
    private final Map<String, Tally> byWorkflow = new HashMap<>();
    private final Map<String, Tally> byUser = new HashMap<>();
    private final Map<String, Tally> byModel = new HashMap<>();
    private final Map<String, Set<String>> usersByWorkflow = new HashMap<>();
    private final List<ObjectNode> alerts = new ArrayList<>();
    private int runs;

    Scan(Window window) {
      this.window = window;
      this.total = new Tally(window.buckets().size());
    }

    void add(RunSummary run, List<JournalEntry> journal) {
      runs++;
      String runId = run.runId().value();
      String user = server.redactor().text(run.user());
      for (JournalEntry entry : journal) {
        Instant at = entry.event().at();
        if (!window.contains(at)) {
          continue;
        }
        switch (entry.event()) {
          case RunEvent.ModelResponded called -> {
            int bucket = window.index(at);
            total.add(called, bucket, runId);
            tally(byWorkflow, run.workflow()).add(called, bucket, runId);
            tally(byUser, user).add(called, bucket, runId);
            tally(byModel, called.modelId()).add(called, bucket, runId);
            usersByWorkflow.computeIfAbsent(run.workflow(), w -> new TreeSet<>()).add(run.user());
          }
          case RunEvent.BudgetThresholdCrossed crossed -> alerts.add(alert(run, crossed));
          default -> {}
        }
      }
    }

    private Tally tally(Map<String, Tally> tallies, String key) {
      return tallies.computeIfAbsent(key, k -> new Tally(window.buckets().size()));
    }
  }

  /** {@code GET /spend/runs?ids=a,b}: cost, calls and models of each run. */
  private void runs(Context ctx) {
    String text = Requests.textParam(ctx, "ids", MAX_RUN_IDS * 65).orElse("");
    Set<String> ids = new LinkedHashSet<>();
    for (String id : text.split(",")) {
      if (!id.isBlank()) {
        ids.add(id.strip());
      }
    }
    if (ids.isEmpty() || ids.size() > MAX_RUN_IDS) {
      throw ApiException.invalid(
          "ids",
          "ids must list 1 to "
              + MAX_RUN_IDS
              + " run ids separated by commas, but listed "
              + ids.size());
    }
    ArrayNode found = Jsons.array();
    ArrayNode missing = Jsons.array();
    for (String id : ids) {
      RunId runId;
      try {
        runId = RunId.of(id);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("ids", e.getMessage());
      }
      if (server.store().find(runId).isEmpty()) {
        missing.add(runId.value());
        continue;
      }
      Tally tally = new Tally(0);
      Set<String> models = new LinkedHashSet<>();
      for (JournalEntry entry : server.store().read(runId)) {
        if (entry.event() instanceof RunEvent.ModelResponded called) {
          tally.add(called, -1, runId.value());
          models.add(called.modelId());
        } else if (entry.event() instanceof RunEvent.RunStarted started
            && started.modelId() != null
            && models.isEmpty()) {
          models.add(started.modelId());
        }
      }
      ObjectNode one = tally.json(false);
      one.put("id", runId.value());
      one.set("models", Views.strings(List.copyOf(models)));
      found.add(one);
    }
    ObjectNode out = Jsons.object();
    out.set("runs", found);
    out.set("missing", missing);
    Responses.ok(ctx, out);
  }

  private static Bucket bucket(String text) {
    try {
      return Bucket.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("bucket", "bucket must be hour or day, but was '" + text + "'");
    }
  }

  private static List<Instant> buckets(Instant since, Instant until, Bucket bucket) {
    Instant first = since.truncatedTo(bucket.unit);
    long width = bucket.unit.getDuration().toMillis();
    long count = (Duration.between(first, until).toMillis() + width - 1) / width;
    if (count > MAX_BUCKETS) {
      throw ApiException.invalid(
          "bucket",
          "the window from "
              + since
              + " to "
              + until
              + " has "
              + count
              + " "
              + bucket.name().toLowerCase(Locale.ROOT)
              + "s; at most "
              + MAX_BUCKETS
              + " buckets are drawn (choose bucket=day or a shorter window)");
    }
    List<Instant> buckets = new ArrayList<>();
    for (Instant at = first; at.isBefore(until); at = at.plus(1, bucket.unit)) {
      buckets.add(at);
    }
    return buckets;
  }

  /** Groups, most expensive first (then most tokens, then by name). */
  private static ArrayNode groups(Map<String, Tally> tallies) {
    ArrayNode out = Jsons.array();
    tallies.entrySet().stream()
        .sorted(
            Comparator.comparing((Map.Entry<String, Tally> e) -> e.getValue().costUsd)
                .thenComparingLong(e -> e.getValue().tokens())
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .forEach(
            e -> {
              ObjectNode group = Jsons.object();
              group.put("key", e.getKey());
              group.setAll(e.getValue().json(true));
              out.add(group);
            });
    return out;
  }

  private ObjectNode alert(RunSummary run, RunEvent.BudgetThresholdCrossed crossed) {
    ObjectNode node = Jsons.object();
    node.put("at", Views.time(crossed.at()));
    node.put("runId", run.runId().value());
    node.put("workflow", run.workflow());
    node.put("hard", crossed.hard());
    node.put("message", server.redactor().text(crossed.message()));
    return node;
  }

  /**
   * The current period's use of each served workflow's budgets, from its ledger: the workflow's day
   * and the month of each user who ran it in the window.
   */
  private ArrayNode budgets(Map<String, Set<String>> usersByWorkflow) {
    ArrayNode out = Jsons.array();
    for (String name : server.workflows().names()) {
      Optional<BudgetLedger> ledger =
          server.workflows().agent(name).map(Agent::metering).map(Metering::ledger);
      if (ledger.isEmpty()) {
        continue;
      }
      out.add(budget(name, ledger.get(), BudgetScope.workflow(name)));
      for (String user : usersByWorkflow.getOrDefault(name, Set.of())) {
        out.add(budget(name, ledger.get(), BudgetScope.user(user)));
      }
    }
    return out;
  }

  private ObjectNode budget(String workflow, BudgetLedger ledger, BudgetScope scope) {
    Spend spent = ledger.spent(scope);
    ObjectNode node = Jsons.object();
    node.put("workflow", workflow);
    node.put("scope", scope.period().noun());
    node.put(
        "subject",
        scope.period() == BudgetScope.Period.USER_MONTH
            ? server.redactor().text(scope.subject())
            : scope.subject());
    node.put("period", ledger.periodKey(scope.period()));
    node.put("tokens", spent.tokens());
    node.put("costUsd", spent.usd());
    return node;
  }

  /** Sums of model calls: totals, and per bucket when there are buckets. */
  private static final class Tally {
    private long modelCalls;
    private long unpricedCalls;
    private long inputTokens;
    private long outputTokens;
    private long cachedInputTokens;
    private long latencyMillis;
    private BigDecimal costUsd = BigDecimal.ZERO;
    private final Set<String> runIds = new TreeSet<>();
    private final long[] tokenSeries;
    private final BigDecimal[] costSeries;

    Tally(int buckets) {
      tokenSeries = new long[buckets];
      costSeries = new BigDecimal[buckets];
      Arrays.fill(costSeries, BigDecimal.ZERO);
    }

    void add(RunEvent.ModelResponded called, int bucket, String runId) {
      modelCalls++;
      runIds.add(runId);
      long tokens = 0;
      if (called.usage() != null) {
        inputTokens += called.usage().inputTokens();
        outputTokens += called.usage().outputTokens();
        cachedInputTokens += called.usage().cachedInputTokens();
        tokens = called.usage().inputTokens() + called.usage().outputTokens();
      }
      latencyMillis += called.latencyMillis();
      BigDecimal cost = called.costUsd();
      if (cost == null) {
        unpricedCalls++;
      } else {
        costUsd = costUsd.add(cost);
      }
      if (bucket >= 0 && bucket < tokenSeries.length) {
        tokenSeries[bucket] += tokens;
        if (cost != null) {
          costSeries[bucket] = costSeries[bucket].add(cost);
        }
      }
    }

    long tokens() {
      return inputTokens + outputTokens;
    }

    ObjectNode json(boolean withSeries) {
      ObjectNode node = Jsons.object();
      node.put("runs", runIds.size());
      node.put("modelCalls", modelCalls);
      node.put("inputTokens", inputTokens);
      node.put("outputTokens", outputTokens);
      node.put("cachedInputTokens", cachedInputTokens);
      node.put("tokens", tokens());
      node.put("costUsd", costUsd);
      node.put("unpricedCalls", unpricedCalls);
      node.put("latencyMillis", latencyMillis);
      if (withSeries) {
        ObjectNode series = node.putObject("series");
        ArrayNode tokens = series.putArray("tokens");
        for (long t : tokenSeries) {
          tokens.add(t);
        }
        ArrayNode cost = series.putArray("costUsd");
        for (BigDecimal c : costSeries) {
          cost.add(c);
        }
      }
      return node;
    }
  }
}
