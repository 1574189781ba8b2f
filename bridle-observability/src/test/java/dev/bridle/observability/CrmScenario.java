package dev.bridle.observability;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.control.InMemoryKillSwitch;
import dev.bridle.core.cost.Metering;
import dev.bridle.core.cost.ModelPrice;
import dev.bridle.core.cost.PriceTable;
import dev.bridle.core.guard.BlocklistGuard;
import dev.bridle.core.guard.GuardAction;
import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.guard.GuardStage;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.model.Usage;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.policy.Rule;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolOutput;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CRM agent with real tools, policy, guards and prices, over one in-memory journal: the model
 * looks a customer up (allowed), tries to e-mail (denied), sets a bio (asks a human), and after the
 * approval answers. Each model call takes 250 ms on the test clock and uses 1,000 input and 200
 * output tokens of {@code openai:gpt-4o-mini} at $1 and $2 per million.
 */
final class CrmScenario {

  static final String SECRET = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";
  static final String CARD = "4111 1111 1111 1111";
  static final String CARD_DIGITS = "4111111111111111";
  static final String MODEL = "openai:gpt-4o-mini";

  record Lookup(String customerId) {}

  record SetBio(String leadId, String bio) {}

  record Email(String to, String body) {}

  final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
  final InMemoryRunStore journal = new InMemoryRunStore();
  final InMemoryKillSwitch kills = new InMemoryKillSwitch(clock);
  final Map<String, String> bios = new ConcurrentHashMap<>(Map.of("L1", "old bio"));
  final String toolResult;
  final String answer;

  CrmScenario(String toolResult, String answer) {
    this.toolResult = toolResult;
    this.answer = answer;
  }

  /** A plain scenario without secrets. */
  CrmScenario() {
    this("customer C1: Ada, plan gold", "done");
  }

  private final PriceTable prices =
      PriceTable.of(
          List.of(
              new ModelPrice(
                  MODEL,
                  LocalDate.parse("2026-01-01"),
                  new BigDecimal("1"),
                  new BigDecimal("0.5"),
                  new BigDecimal("2"),
                  Optional.empty(),
                  Optional.empty(),
                  true)));

  /** The agent of workflow {@code crm}, journaling to {@code store}. */
  Agent agent(RunStore store) {
    Tool<Lookup> lookup =
        Tool.builder("lookup_customer", Lookup.class)
            .description("Look a customer up")
            .effect(Effect.READ)
            .handler((a, ctx) -> toolResult)
            .build();
    Tool<Email> email =
        Tool.builder("send_email", Email.class)
            .description("Send an e-mail")
            .effect(Effect.EXTERNAL)
            .handler((a, ctx) -> "sent")
            .build();
    Tool<SetBio> setBio =
        Tool.builder("set_bio", SetBio.class)
            .description("Set a lead's bio")
            .effect(Effect.WRITE)
            .idempotent(true)
            .handler(
                (a, ctx) -> {
                  bios.put(a.leadId(), a.bio());
                  return ToolOutput.of("bio updated");
                })
            .build();
    return Agent.builder()
        .name("crm")
        .version("3")
        .instructions("Help the sales team with leads.")
        .model(timed(script()))
        .tools(List.of(lookup, email, setBio))
        .policy(
            Policy.builder()
                .rule(Rule.allow("lookup_customer"))
                .rule(Rule.deny("send_email"))
                .rule(Rule.ask("set_bio"))
                .build())
        .guards(
            GuardChain.builder()
                .add(
                    BlocklistGuard.builder()
                        .name("no-rivals")
                        .stages(List.of(GuardStage.INPUT))
                        .terms(List.of("rival"))
                        .action(GuardAction.FLAG)
                        .build())
                .build())
        .metering(new Metering(prices, null, 1024, false))
        .journal(store)
        .clock(clock)
        .killSwitch(kills)
        .build();
  }

  Approvals approvals(RunStore store, Agent agent) {
    return new Approvals(store, name -> Optional.of(agent), clock);
  }

  static String approvalId(RunId runId) {
    return runId.value() + "/call_3_1";
  }

  private ScriptedChatModel script() {
    return ScriptedChatModel.builder()
        .name("crm")
        .thenCall("lookup_customer", Map.of("customerId", "C1"))
        .thenCall("send_email", Map.of("to", "ada@client.test", "body", "hello"))
        .thenCall("set_bio", Map.of("leadId", "L1", "bio", "new bio"))
        .thenAnswer(answer)
        .build();
  }

  /** The script's answers as {@code openai:gpt-4o-mini} with usage, taking 250 ms each. */
  private ChatModel timed(ScriptedChatModel script) {
    return new ChatModel() {
      @Override
      public ModelResponse chat(ModelRequest request) {
        clock.advance(Duration.ofMillis(250));
        return new ModelResponse(script.chat(request).message(), new Usage(1000, 200, 0), MODEL);
      }

      @Override
      public String id() {
        return MODEL;
      }
    };
  }
}
