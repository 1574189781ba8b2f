package dev.bridle.core.evaluation;

import dev.bridle.core.guard.GuardChain;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.policy.Policy;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A tiny CRM with real tools and a real agent over an in-memory store, for the tests here. */
final class CrmAgents {

  record LeadId(String leadId) {}

  record SetBio(String leadId, String bio) {}

  final InMemoryRunStore store = new InMemoryRunStore();
  final Map<String, String> bios = new ConcurrentHashMap<>(Map.of("L1", "old bio"));

  private final Tool<LeadId> getLead =
      Tool.builder("get_lead", LeadId.class)
          .description("Read a lead")
          .effect(Effect.READ)
          .handler((a, ctx) -> "lead " + a.leadId() + ", bio: " + bios.get(a.leadId()))
          .build();

  private final Tool<SetBio> setBio =
      Tool.builder("set_bio", SetBio.class)
          .description("Set a lead's bio")
          .effect(Effect.WRITE)
          .handler(
              (a, ctx) -> {
                bios.put(a.leadId(), a.bio());
                return "bio updated";
              })
          .build();

  private final Tool<LeadId> broken =
      Tool.builder("broken_lookup", LeadId.class)
          .description("Always fails")
          .effect(Effect.READ)
          .handler(
              (a, ctx) -> {
                throw new IllegalStateException("the CRM is down");
              })
          .build();

  Agent agent(Policy policy, ScriptedChatModel model) {
    return agent(policy, model, GuardChain.none(), Limits.DEFAULT);
  }

  Agent agent(Policy policy, ScriptedChatModel model, GuardChain guards, Limits limits) {
    return Agent.builder()
        .name("crm")
        .model(model)
        .tools(List.of(getLead, setBio, broken))
        .policy(policy)
        .guards(guards)
        .limits(limits)
        .notifier(n -> {})
        .journal(store)
        .build();
  }

  List<RunEvent> events(RunId runId) {
    return store.read(runId).stream().map(JournalEntry::event).toList();
  }

  static Policy allowAll() {
    return Policy.builder().rule(dev.bridle.core.policy.Rule.allow("*")).build();
  }

  static Run run(Agent agent, CrmAgents crm, String task) {
    RunId id = RunId.random();
    RunResult result = agent.run(id, task, "bob");
    return new Run(result, crm.events(id));
  }

  record Run(RunResult result, List<RunEvent> events) {
    RunClassification classified() {
      return RunClassification.of(
          result.outcome(), events, RunClassification.DEFAULT_REFUSAL_MARKERS);
    }
  }
}
