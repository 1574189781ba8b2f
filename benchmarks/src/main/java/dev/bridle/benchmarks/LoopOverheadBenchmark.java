package dev.bridle.benchmarks;

import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.Limits;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent loop's own cost per step: a scripted model (no network, no tokens) that calls a no-op
 * tool {@value #TOOL_STEPS} times and then answers, with the in-memory journal. One step is one
 * model call plus its tool call: resolution, schema validation, binding, four journal appends and
 * state folds, and the tool run on a virtual thread with its timeout.
 *
 * <p>Run: {@code ./mvnw -q package -pl benchmarks -am -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar LoopOverhead}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LoopOverheadBenchmark {

  static final int TOOL_STEPS = 10;

  /** Arguments of the no-op tool. */
  public record Noop(int n) {}

  private Tool<Noop> noop;
  private ScriptedChatModel model;
  private Agent agent;

  @Setup(Level.Trial)
  public void prepareTools() {
    noop =
        Tool.builder("noop", Noop.class)
            .description("Does nothing")
            .effect(Effect.READ)
            .idempotent(true)
            .handler((args, ctx) -> "ok")
            .build();
    ScriptedChatModel.Builder script = ScriptedChatModel.builder().name("bench");
    for (int i = 0; i < TOOL_STEPS; i++) {
      script.thenCall("noop", Map.of("n", i));
    }
    model = script.thenAnswer("done").build();
  }

  /** A fresh journal per iteration, so memory does not grow across the whole trial. */
  @Setup(Level.Iteration)
  public void freshAgent() {
    agent =
        Agent.builder()
            .name("bench")
            .model(model)
            .tool(noop)
            .limits(Limits.DEFAULT.withMaxSteps(TOOL_STEPS + 1))
            .journal(new InMemoryRunStore())
            .build();
  }

  /** Score: microseconds per step (one run of 11 model calls and 10 tool calls, divided by 11). */
  @Benchmark
  @OperationsPerInvocation(TOOL_STEPS + 1)
  public RunResult step() {
    RunResult result = agent.run("benchmark");
    if (!result.completed()) {
      throw new IllegalStateException("benchmark run did not complete: " + result.outcome());
    }
    return result;
  }
}
