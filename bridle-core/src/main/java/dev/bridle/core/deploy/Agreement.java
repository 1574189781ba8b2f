package dev.bridle.core.deploy;

import dev.bridle.core.journal.RunId;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How often a workflow's agent did what a human did (DESIGN §8: shadow-mode agreement with human
 * decisions), per tool and in total. Pure arithmetic over {@link RunFacts} and {@link
 * ShadowDecision}s; the rules, as in {@code docs/deployment.md}:
 *
 * <ul>
 *   <li><b>Shadow runs.</b> For a run with a recorded decision, the agent's shadowed calls A and
 *       the human's calls H are multisets of (tool, normalised arguments). Each call in both is
 *       matched once: one <em>agreement</em>. Each call left in A (the agent would have done it,
 *       the human did not) and each left in H (the human did it, the agent would not have) is one
 *       <em>disagreement</em>, counted for its tool. So for one tool, compared = |A ∪ H| and agreed
 *       = |A ∩ H| (multiset union and intersection). When both are empty (the agent would have done
 *       nothing and the human did nothing) that is one agreement of the pseudo-tool {@value
 *       #NO_ACTION}.
 *   <li><b>Approvals</b> (runs in PROPOSE or SUPERVISED mode). Each human decision on an approval
 *       request is one comparison of its tool: APPROVE agrees; EDIT, REJECT and RESPOND disagree
 *       (the human changed or refused what the agent proposed). Decisions the timeout took and
 *       decisions on calls in doubt do not count.
 *   <li>The <b>rate</b> of a tally is agreed / compared; a total is the sum of the tools' tallies,
 *       so every comparison weighs the same.
 * </ul>
 *
 * @param total every comparison, shadow and approval
 * @param shadow the comparisons from shadow runs
 * @param approvals the comparisons from approval decisions
 * @param byTool per tool, shadow and approval together, by tool name
 * @param shadowRunsCompared shadow runs with a decision that were compared
 * @param shadowRunsAwaitingDecision shadow runs that ended with shadowed calls and no decision yet
 */
public record Agreement(
    Tally total,
    Tally shadow,
    Tally approvals,
    Map<String, Tally> byTool,
    int shadowRunsCompared,
    int shadowRunsAwaitingDecision) {

  /** The pseudo-tool of a shadow run where neither the agent nor the human did anything. */
  public static final String NO_ACTION = "(no action)";

  public static final Agreement NONE =
      new Agreement(Tally.ZERO, Tally.ZERO, Tally.ZERO, Map.of(), 0, 0);

  public Agreement {
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(shadow, "shadow");
    Objects.requireNonNull(approvals, "approvals");
    byTool = Collections.unmodifiableSortedMap(new TreeMap<>(byTool));
  }

  /**
   * Agreed out of compared.
   *
   * @param agreed comparisons where the agent and the human did the same
   * @param compared all comparisons
   */
  public record Tally(int agreed, int compared) {

    public static final Tally ZERO = new Tally(0, 0);

    public Tally {
      if (agreed < 0 || compared < agreed) {
        throw new IllegalArgumentException(
            "a tally needs 0 <= agreed <= compared, but was " + agreed + " of " + compared);
      }
    }

    /** agreed / compared; 0 when nothing was compared. */
    public double rate() {
      return compared == 0 ? 0 : (double) agreed / compared;
    }

    public int disagreed() {
      return compared - agreed;
    }

    Tally plus(Tally other) {
      return new Tally(agreed + other.agreed, compared + other.compared);
    }

    /** {@code 45/50 (90.0%)}, or {@code 0/0} when nothing was compared. */
    public String describe() {
      return agreed + "/" + compared + (compared == 0 ? "" : " (" + Texts.percent(rate()) + ")");
    }
  }

  /**
   * The agreement of {@code runs}, with the decisions humans recorded for the shadow ones.
   * Decisions for runs not in {@code runs} are left out.
   */
  public static Agreement of(Collection<RunFacts> runs, Map<RunId, ShadowDecision> decisions) {
    Map<String, Tally> shadowByTool = new HashMap<>();
    Map<String, Tally> approvalByTool = new HashMap<>();
    int compared = 0;
    int awaiting = 0;
    for (RunFacts run : runs) {
      ShadowDecision decision = decisions.get(run.runId());
      if (decision != null) {
        compareShadow(run.shadowed(), decision.calls(), shadowByTool);
        compared++;
      } else if (!run.shadowed().isEmpty() && run.status().isTerminal()) {
        awaiting++;
      }
      for (RunFacts.ApprovalOutcome outcome : run.approvals()) {
        add(approvalByTool, outcome.tool(), outcome.approvedAsProposed() ? 1 : 0, 1);
      }
    }
    Map<String, Tally> byTool = new TreeMap<>(shadowByTool);
    approvalByTool.forEach((tool, tally) -> byTool.merge(tool, tally, Tally::plus));
    Tally shadow = sum(shadowByTool.values());
    Tally approvals = sum(approvalByTool.values());
    return new Agreement(shadow.plus(approvals), shadow, approvals, byTool, compared, awaiting);
  }

  /** Matches the agent's calls with the human's, each at most once; tallies per tool. */
  private static void compareShadow(
      List<RunFacts.Call> agent, List<HumanCall> human, Map<String, Tally> byTool) {
    if (agent.isEmpty() && human.isEmpty()) {
      add(byTool, NO_ACTION, 1, 1);
      return;
    }
    // (tool, normalised arguments) → how many of the human's calls are still unmatched
    Map<String, Integer> left = new HashMap<>();
    Map<String, String> toolOf = new HashMap<>();
    for (HumanCall call : human) {
      String key = key(call.tool(), call.arguments());
      left.merge(key, 1, Integer::sum);
      toolOf.put(key, call.tool());
    }
    for (RunFacts.Call call : agent) {
      String key = key(call.tool(), call.arguments());
      int count = left.getOrDefault(key, 0);
      if (count > 0) {
        add(byTool, call.tool(), 1, 1);
        left.put(key, count - 1);
      } else {
        add(byTool, call.tool(), 0, 1);
      }
    }
    left.forEach(
        (key, count) -> {
          if (count > 0) {
            add(byTool, toolOf.get(key), 0, count);
          }
        });
  }

  private static String key(String tool, String arguments) {
    return tool + '\u0000' + arguments;
  }

  private static void add(Map<String, Tally> byTool, String tool, int agreed, int compared) {
    byTool.merge(tool, new Tally(agreed, compared), Tally::plus);
  }

  private static Tally sum(Collection<Tally> tallies) {
    return tallies.stream().reduce(Tally.ZERO, Tally::plus);
  }
}
