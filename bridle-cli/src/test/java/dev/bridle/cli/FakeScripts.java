package dev.bridle.cli;

import dev.bridle.core.model.ScriptTurn;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.testkit.FakeReply;
import dev.bridle.testkit.FakeToolCall;
import dev.bridle.testkit.Responder;
import dev.bridle.testkit.Responders;
import java.nio.file.Path;
import java.util.List;

/** Responders for the fake OpenAI server that play a workflow file's script over real HTTP. */
final class FakeScripts {

  private FakeScripts() {}

  /** The support-triage script, with {@code {{task}}} replaced by {@code task}. */
  static Responder supportTriage(String task) {
    List<ScriptTurn> turns =
        Workflows.load(Path.of("../examples/support-triage/workflow.yaml")).script();
    return Responders.script(turns.stream().map(turn -> reply(turn, task)).toList());
  }

  private static FakeReply reply(ScriptTurn turn, String task) {
    return switch (turn) {
      case ScriptTurn.Answer answer -> FakeReply.text(answer.text());
      case ScriptTurn.Calls calls ->
          FakeReply.toolCalls(
              calls.calls().stream()
                  .map(
                      call ->
                          new FakeToolCall(
                              call.tool(), call.arguments().toString().replace("{{task}}", task)))
                  .toList());
    };
  }
}
