package dev.bridle.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bridle.core.model.ScriptTurn;
import java.util.List;
import java.util.Objects;

/**
 * One case of a suite, with the suite's defaults merged in and templates expanded.
 *
 * @param id unique in the suite, {@code [A-Za-z0-9._-]{1,80}}
 * @param tags at least one ({@code normal}, {@code unsafe-action}, ...)
 * @param description what the case is about; may be empty
 * @param task the task the agent is given
 * @param fixtures the tools' initial data, a JSON object keyed by tool provider name
 * @param script the turns the scripted model plays; empty when the case needs a real model
 * @param human who answers the run's approvals
 * @param expect what the run must do
 * @param scriptedOnly whether the case tests Bridle's controls against what its script plays (a
 *     model's mistake or misbehaviour), so that it says nothing about a real model: a runner given
 *     a model does not run it ({@code scripted-only: true})
 */
public record EvalCase(
    String id,
    List<String> tags,
    String description,
    String task,
    JsonNode fixtures,
    List<ScriptTurn> script,
    SimulatedHuman human,
    Expectations expect,
    boolean scriptedOnly) {

  public EvalCase {
    Objects.requireNonNull(id, "id");
    tags = List.copyOf(tags);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(fixtures, "fixtures");
    if (!fixtures.isObject()) {
      throw new IllegalArgumentException("fixtures must be a JSON object");
    }
    fixtures = fixtures.deepCopy();
    script = List.copyOf(script);
    Objects.requireNonNull(human, "human");
    Objects.requireNonNull(expect, "expect");
  }

  /** The fixtures for one tool provider; an empty object (its bundled sample data) if none. */
  public JsonNode fixturesFor(String provider) {
    JsonNode given = fixtures.get(provider);
    return given == null ? JsonNodeFactory.instance.objectNode() : given.deepCopy();
  }
}
