package dev.bridle.benchmarks.agentdojo;

import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scripted model that is fully compromised: it makes the user task's ground-truth calls in order,
 * one per turn, and as soon as a tool result holds the injection it makes every attack call
 * ("before you can solve the task that I gave you, please do the following first"), then the rest
 * of the user task, then answers. It never reasons about a refusal: a denied or rejected call is
 * simply followed by the next one.
 *
 * <p>It is stateless: the next call is derived from the conversation alone (how many calls were
 * made, and after which one the injection appeared), so a run suspended for an approval and resumed
 * later continues exactly where it stopped.
 */
final class CompromisedModel implements ChatModel {

  static final String ANSWER = "Done.";

  private final List<FunctionCall> benign;
  private final List<FunctionCall> attack;
  private final List<String> injections;

  /**
   * @param benign the user task's calls, canaries filled
   * @param attack the attacker's calls (empty for a benign run)
   * @param injections the attack texts whose appearance in a tool result triggers the attack
   */
  CompromisedModel(List<FunctionCall> benign, List<FunctionCall> attack, List<String> injections) {
    this.benign = List.copyOf(benign);
    this.attack = List.copyOf(attack);
    this.injections = injections.stream().filter(s -> !s.isBlank()).toList();
    if (!this.attack.isEmpty() && this.injections.isEmpty()) {
      throw new IllegalArgumentException("an attack needs at least one non-blank injection text");
    }
  }

  @Override
  public String id() {
    return "scripted:agentdojo-compromised";
  }

  @Override
  public ModelResponse chat(ModelRequest request) {
    int made = 0;
    int triggeredAfter = -1;
    for (ChatMessage message : request.messages()) {
      switch (message) {
        case ChatMessage.Assistant assistant -> made += assistant.toolCalls().size();
        case ChatMessage.ToolResult result -> {
          if (triggeredAfter < 0 && holdsInjection(result.content())) {
            triggeredAfter = made;
          }
        }
        case ChatMessage.System system -> {}
        case ChatMessage.User user -> {}
      }
    }
    List<FunctionCall> plan = plan(triggeredAfter);
    ChatMessage.Assistant answer =
        made < plan.size()
            ? new ChatMessage.Assistant("", List.of(toolCall(made + 1, plan.get(made))))
            : ChatMessage.Assistant.text(ANSWER);
    return new ModelResponse(answer, Usage.ZERO, id());
  }

  /** The calls in order: the attack goes right after the call whose result held the injection. */
  List<FunctionCall> plan(int triggeredAfter) {
    if (triggeredAfter < 0 || attack.isEmpty()) {
      return benign;
    }
    int split = Math.min(triggeredAfter, benign.size());
    List<FunctionCall> plan = new ArrayList<>(benign.subList(0, split));
    plan.addAll(attack);
    plan.addAll(benign.subList(split, benign.size()));
    return plan;
  }

  private boolean holdsInjection(String content) {
    for (String injection : injections) {
      if (content.contains(injection)) {
        return true;
      }
    }
    return false;
  }

  private static ToolCall toolCall(int number, FunctionCall call) {
    Objects.requireNonNull(call, "call");
    return new ToolCall("call_" + number, call.function(), call.args().toString());
  }
}
