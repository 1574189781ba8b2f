package dev.bridle.benchmarks.agentdojo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The benchmark's figures: per-run records, their totals, as JSON and as Markdown tables. */
record BenchmarkReport(String dataFolder, long millis, List<RunRecord> records) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  BenchmarkReport {
    records = List.copyOf(records);
  }

  /** The totals of one group of runs. */
  record Totals(
      String suite,
      String posture,
      String human,
      int runs,
      int benignCompleted,
      int approvals,
      int newToolPairs,
      int newToolBlocked,
      int sameToolPairs,
      int sameToolBlocked,
      int reachedHuman,
      int injectionSeen,
      Map<String, Integer> stoppedBy,
      Map<String, Integer> denials) {}

  List<Totals> benignTotals() {
    return totals("benign");
  }

  List<Totals> attackTotals() {
    return totals("attack");
  }

  private List<Totals> totals(String kind) {
    Map<String, List<RunRecord>> groups = new TreeMap<>();
    for (RunRecord r : records) {
      if (r.kind().equals(kind)) {
        groups
            .computeIfAbsent(
                r.suite() + "|" + r.posture() + "|" + r.human(), k -> new ArrayList<>())
            .add(r);
      }
    }
    List<String> suites = records.stream().map(RunRecord::suite).distinct().toList();
    List<Totals> totals = new ArrayList<>();
    for (Posture posture : Posture.values()) {
      for (SimulatedHuman human : SimulatedHuman.values()) {
        List<RunRecord> all = new ArrayList<>();
        for (String suite : suites) {
          List<RunRecord> group =
              groups.getOrDefault(suite + "|" + posture.label() + "|" + human.label(), List.of());
          if (!group.isEmpty()) {
            totals.add(sum(suite, posture.label(), human.label(), group));
            all.addAll(group);
          }
        }
        if (!all.isEmpty() && suites.size() > 1) {
          totals.add(sum("all", posture.label(), human.label(), all));
        }
      }
    }
    return totals;
  }

  private static Totals sum(String suite, String posture, String human, List<RunRecord> runs) {
    Map<String, Integer> stoppedBy = new TreeMap<>();
    Map<String, Integer> denials = new TreeMap<>();
    for (RunRecord r : runs) {
      if (r.blocked()) {
        stoppedBy.merge(r.stoppedBy(), 1, Integer::sum);
      }
      r.denials().forEach(d -> denials.merge(d, 1, Integer::sum));
    }
    return new Totals(
        suite,
        posture,
        human,
        runs.size(),
        count(runs, RunRecord::benignCompleted),
        runs.stream().mapToInt(RunRecord::approvals).sum(),
        count(runs, r -> !r.sameTool()),
        count(runs, r -> !r.sameTool() && r.blocked()),
        count(runs, RunRecord::sameTool),
        count(runs, r -> r.sameTool() && r.blocked()),
        count(runs, RunRecord::reachedHuman),
        count(runs, RunRecord::injectionSeen),
        stoppedBy,
        denials);
  }

  private static int count(List<RunRecord> runs, Predicate<RunRecord> test) {
    return (int) runs.stream().filter(test).count();
  }

  String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("benchmark", "AgentDojo v1.2.1 dev split (banking, slack), Bridle containment");
    root.put("data", dataFolder);
    root.put("millis", millis);
    root.set("benign_totals", JSON.valueToTree(benignTotals()));
    root.set("attack_totals", JSON.valueToTree(attackTotals()));
    ArrayNode runs = root.putArray("runs");
    records.forEach(r -> runs.add(JSON.valueToTree(r)));
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("report not serialisable", e);
    }
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("Benign runs (every canary at its default text):\n\n");
    out.append(
        "| suite | posture | user tasks | completed | approvals asked | approvals per task |"
            + " not completed |\n");
    out.append("|---|---|---:|---:|---:|---:|---|\n");
    for (Totals t : benignTotals()) {
      if (!t.human().equals(SimulatedHuman.APPROVES_ONLY_BENIGN.label())) {
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %d | %.2f | %s |%n",
              t.suite(),
              t.posture(),
              t.runs(),
              share(t.benignCompleted(), t.runs()),
              t.approvals(),
              t.runs() == 0 ? 0.0 : (double) t.approvals() / t.runs(),
              notCompleted(t)));
    }
    out.append(
        "\nAttack runs (user task × injection task; blocked = no harmful call executed):\n\n");
    out.append(
        "| suite | posture | human | new-tool pairs blocked | same-tool pairs blocked | all"
            + " blocked | attacks that reached a human | benign task completed under attack |"
            + " injection reached the model |\n");
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Totals t : attackTotals()) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              t.suite(),
              t.posture(),
              t.human(),
              share(t.newToolBlocked(), t.newToolPairs()),
              share(t.sameToolBlocked(), t.sameToolPairs()),
              share(t.newToolBlocked() + t.sameToolBlocked(), t.runs()),
              share(t.reachedHuman(), t.runs()),
              share(t.benignCompleted(), t.runs()),
              share(t.injectionSeen(), t.runs())));
    }
    out.append(
        "\nPer injection task (counts for supervised / autonomous / autonomous-deny-tainted):\n\n");
    out.append(
        "| suite | injection task | attacker's goal | pairs | blocked, human approves everything |"
            + " reached a human | blocked, human approves only benign calls |\n");
    out.append("|---|---|---|---:|---:|---:|---:|\n");
    Map<String, List<RunRecord>> byInjection = new java.util.LinkedHashMap<>();
    for (RunRecord r : records) {
      if (r.kind().equals("attack")) {
        byInjection
            .computeIfAbsent(r.suite() + "|" + r.injectionTask(), k -> new ArrayList<>())
            .add(r);
      }
    }
    byInjection.values().stream()
        .sorted(
            java.util.Comparator.comparing((List<RunRecord> g) -> g.getFirst().suite())
                .thenComparingInt(g -> number(g.getFirst().injectionTask())))
        .forEach(group -> out.append(injectionRow(group)));
    out.append("\nWhat stopped the blocked attacks:\n\n");
    out.append("| suite | posture | human | stopped by (attacks) |\n|---|---|---|---|\n");
    for (Totals t : attackTotals()) {
      out.append("| ")
          .append(t.suite())
          .append(" | ")
          .append(t.posture())
          .append(" | ")
          .append(t.human())
          .append(" | ")
          .append(describe(t.stoppedBy()))
          .append(" |\n");
    }
    out.append(
        "\nWhy approvals were asked in the attack runs (human approves only benign calls; the"
            + " rule or check that escalated):\n\n");
    out.append(
        "| suite | posture | requests for attack calls (rejected) | requests for the user's own"
            + " calls (approved) |\n|---|---|---|---|\n");
    for (Posture posture : Posture.values()) {
      for (String suite : records.stream().map(RunRecord::suite).distinct().toList()) {
        Map<String, Integer> rejected = new TreeMap<>();
        Map<String, Integer> approved = new TreeMap<>();
        for (RunRecord r : records) {
          if (r.kind().equals("attack")
              && r.suite().equals(suite)
              && r.posture().equals(posture.label())
              && r.human().equals(SimulatedHuman.APPROVES_ONLY_BENIGN.label())) {
            for (String asked : r.asked()) {
              String reason = asked.substring(0, asked.lastIndexOf(':'));
              (asked.endsWith(": REJECT") ? rejected : approved).merge(reason, 1, Integer::sum);
            }
          }
        }
        out.append("| ")
            .append(suite)
            .append(" | ")
            .append(posture.label())
            .append(" | ")
            .append(describe(rejected))
            .append(" | ")
            .append(describe(approved))
            .append(" |\n");
      }
    }
    return out.toString();
  }

  private static String injectionRow(List<RunRecord> group) {
    RunRecord first = group.getFirst();
    String all = SimulatedHuman.APPROVES_EVERYTHING.label();
    String benignOnly = SimulatedHuman.APPROVES_ONLY_BENIGN.label();
    StringBuilder blockedAll = new StringBuilder();
    StringBuilder reached = new StringBuilder();
    StringBuilder blockedBenign = new StringBuilder();
    int pairs = 0;
    for (Posture posture : Posture.values()) {
      List<RunRecord> approveAll = select(group, posture, all);
      List<RunRecord> approveBenign = select(group, posture, benignOnly);
      pairs = approveAll.size();
      String sep = posture.ordinal() == 0 ? "" : " / ";
      blockedAll.append(sep).append(count(approveAll, RunRecord::blocked));
      reached.append(sep).append(count(approveAll, RunRecord::reachedHuman));
      blockedBenign.append(sep).append(count(approveBenign, RunRecord::blocked));
    }
    String goal = first.injectionGoal();
    if (goal.length() > 90) {
      goal = goal.substring(0, 87) + "...";
    }
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %d | %s | %s | %s |%n",
        first.suite(),
        first.injectionTask(),
        goal.replace("|", "\\|"),
        pairs,
        blockedAll,
        reached,
        blockedBenign);
  }

  private static List<RunRecord> select(List<RunRecord> group, Posture posture, String human) {
    return group.stream()
        .filter(r -> r.posture().equals(posture.label()) && r.human().equals(human))
        .toList();
  }

  private static int number(String id) {
    String digits = id.replaceAll("\\D", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }

  private String notCompleted(Totals t) {
    List<String> failed = new ArrayList<>();
    Map<String, Integer> denials = new TreeMap<>();
    for (RunRecord r : records) {
      if (r.kind().equals("benign")
          && r.posture().equals(t.posture())
          && r.human().equals(t.human())
          && (t.suite().equals("all") || r.suite().equals(t.suite()))
          && !r.benignCompleted()) {
        failed.add(r.suite() + "/" + r.userTask() + " (" + String.join(", ", r.denials()) + ")");
        r.denials().forEach(d -> denials.merge(d, 1, Integer::sum));
      }
    }
    if (failed.isEmpty()) {
      return "—";
    }
    return failed.size() <= 4
        ? String.join("; ", failed)
        : failed.size() + " tasks; calls denied: " + describe(denials);
  }

  private static String describe(Map<String, Integer> counts) {
    if (counts.isEmpty()) {
      return "—";
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(k + " " + v));
    return String.join(", ", parts);
  }

  private static String share(int part, int whole) {
    if (whole == 0) {
      return "—";
    }
    return String.format(Locale.ROOT, "%d/%d (%.1f %%)", part, whole, 100.0 * part / whole);
  }
}
