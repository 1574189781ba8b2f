package dev.bridle.benchmarks.guards;

import dev.bridle.core.cost.BudgetLedger;
import dev.bridle.core.cost.BudgetLimit;
import dev.bridle.core.cost.Budgets;
import dev.bridle.core.cost.InMemorySpendStore;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.cost.ModelPrice;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardHooks;
import dev.bridle.core.guard.Guards;
import dev.bridle.core.limits.LocalRateLimiter;
import dev.bridle.core.limits.RateLimit;
import dev.bridle.core.limits.RateLimits;
import dev.bridle.core.policy.ArgumentConstraint;
import dev.bridle.core.policy.Mode;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Provenance;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.tool.Effect;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every guard and limit a workflow can switch on, configured the way a support workflow would: the
 * guard chain with all eight built-in guard types (from {@link Guards#fromConfig}, as a workflow
 * file's {@code guards:} section), a policy with a rule, a constraint and provenance, three rate
 * limits, and budgets per run, per user and per workflow with prices. Nothing here trips during the
 * benchmark's run: the point is what checking costs when everything is fine.
 */
final class FullGovernance {

  /** The scripted model's id, priced in {@link #metering}. */
  static final String MODEL_ID = "scripted:bench";

  /** The ticket ids the {@code id-validity} guard's lookup knows. */
  static final Set<String> KNOWN_TICKETS = Set.of("TCK-1001", "TCK-1002", "TCK-1003");

  private FullGovernance() {}

  /** The {@code guards:} section, as YAML parsing would hand it over. */
  static Map<String, Object> guardsSection() {
    return Map.of(
        "max-reasks",
        2,
        "chain",
        List.of(
            Map.of(
                "type",
                "size-limit",
                "input",
                20_000,
                "model-output",
                8_000,
                "tool-arguments",
                4_000,
                "tool-result",
                Map.of("max-chars", 50_000, "action", "truncate")),
            Map.of(
                "type",
                "input-scope",
                "keywords",
                List.of("ticket", "order", "refund", "invoice"),
                "patterns",
                List.of("\\b(?:TCK|ORD)-\\d+\\b"),
                "classifier",
                "support-topics"),
            Map.of(
                "type",
                "blocklist",
                "domains",
                List.of("rival.example", "paste.example"),
                "terms",
                List.of("wire transfer", "gift card")),
            Map.of("type", "injection-heuristics", "flag-at", 2, "escalate-at", 4),
            Map.of("type", "prohibited-language", "terms", List.of("guarantee", "legal action")),
            Map.of(
                "type",
                "json-schema",
                "schema",
                Map.of(
                    "type",
                    "object",
                    "required",
                    List.of("status", "summary"),
                    "properties",
                    Map.of(
                        "status",
                        Map.of("enum", List.of("done", "needs-human")),
                        "summary",
                        Map.of("type", "string", "maxLength", 2000)))),
            Map.of(
                "type",
                "id-validity",
                "id-pattern",
                "\\bTCK-\\d+\\b",
                "lookup",
                "tickets",
                "tools",
                List.of("lookup_ticket")),
            Map.of(
                "type", "pii", "name", "pii-out", "allow", List.of("support@quillstack.example")),
            Map.of(
                "type",
                "pii",
                "name",
                "pii-args",
                "stages",
                List.of("tool-arguments"),
                "types",
                List.of("credit-card", "iban", "us-ssn", "api-key", "private-key", "jwt"),
                "action",
                "block")));
  }

  /** The chain of nine guards (eight types; {@code pii} twice, for output and for arguments). */
  static GuardChain guards() {
    GuardHooks hooks =
        GuardHooks.builder()
            .classifier(
                "support-topics",
                task -> task.toLowerCase(java.util.Locale.ROOT).contains("customer"))
            .idLookup("tickets", KNOWN_TICKETS::contains)
            .build();
    return Guards.fromConfig(guardsSection(), hooks);
  }

  /**
   * SUPERVISED, one allow rule, a bounds constraint on the tool's {@code n}, and provenance over
   * the tool's untrusted results (its {@code ticket_id} is sensitive, so every call is traced back
   * to the task).
   */
  static Policy policy() {
    return Policy.builder()
        .mode(Mode.SUPERVISED)
        .maxUnapprovedEffect(Effect.WRITE)
        .rule(Rule.allow("lookup_ticket").withId("lookups"))
        .constraint(
            new ArgumentConstraint.Bounds(
                "lookup_ticket", "n", BigDecimal.ZERO, BigDecimal.valueOf(1000)))
        .provenance(new Provenance(List.of("lookup_ticket"), dev.bridle.core.policy.Verdict.ASK))
        .build();
  }

  /** A global, a per-user and a per-tool limit, far above what the benchmark reaches. */
  static RateLimits rateLimits(Clock clock) {
    return new RateLimits(
        List.of(
            RateLimit.of(RateLimit.Scope.GLOBAL, "*", 1_000_000_000L, Duration.ofSeconds(1)),
            RateLimit.of(RateLimit.Scope.USER, "*", 1_000_000_000L, Duration.ofSeconds(1)),
            RateLimit.of(
                RateLimit.Scope.TOOL, "lookup_ticket", 1_000_000_000L, Duration.ofSeconds(1))),
        new LocalRateLimiter(clock));
  }

  /**
   * Prices for the scripted model and budgets per run, per user and month, per workflow and day.
   */
  static Metering metering(Clock clock) {
    PriceTable prices =
        PriceTable.of(
            List.of(
                ModelPrice.of(
                    MODEL_ID,
                    LocalDate.of(2025, 1, 1),
                    new BigDecimal("0.15"),
                    new BigDecimal("0.075"),
                    new BigDecimal("0.60"))));
    Budgets budgets =
        Budgets.NONE
            .withPerRun(BudgetLimit.tokens(1_000_000))
            .withPerUserPerMonth(BudgetLimit.usd("1000000"))
            .withPerWorkflowPerDay(BudgetLimit.usd("1000000"));
    return new Metering(prices, null, 1024, false)
        .withBudgets(BudgetLedger.of(budgets, new InMemorySpendStore(), clock), false);
  }
}
