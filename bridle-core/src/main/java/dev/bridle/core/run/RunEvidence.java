package dev.bridle.core.run;

import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.policy.PolicyRequest;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.Toolbox;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run's information came from, for provenance checks (DESIGN §4): the instructions and the
 * task are trusted; each tool result is untrusted when its tool says so (a tool the agent no longer
 * has counts as untrusted). Derived from the journal's state, so the loop and an approver's edit
 * see the same evidence.
 */
public final class RunEvidence {

  private RunEvidence() {}

  public static PolicyRequest.Evidence of(RunState state, Toolbox tools) {
    List<String> trusted = new ArrayList<>();
    List<PolicyRequest.Source> results = new ArrayList<>();
    for (ChatMessage message : state.conversation()) {
      switch (message) {
        case ChatMessage.System system -> trusted.add(system.text());
        case ChatMessage.User task -> trusted.add(task.text());
        case ChatMessage.ToolResult result ->
            results.add(
                new PolicyRequest.Source(
                    result.toolName(),
                    result.content(),
                    tools.find(result.toolName()).map(Tool::untrustedResults).orElse(true)));
        case ChatMessage.Assistant assistant -> {}
      }
    }
    return new PolicyRequest.Evidence(trusted, results);
  }
}
