package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away in the middle of an agent run: the run stops with a clear error, and once
 * the database is back it resumes from the journal with nothing lost and nothing done twice.
 */
class AgentOutageTest {

  record Write(int n) {}

  @TempDir Path dataDirectory;

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  @Test
  void aRunInterruptedByTheDatabaseResumesOnceItIsBack() throws IOException {
    AtomicReference<EmbeddedPostgres> postgres = new AtomicReference<>(start(0));
    int port = postgres.get().getPort();
    String url = "postgresql://postgres@localhost:" + port + "/postgres?connect-timeout-ms=500";
    Set<String> effects = ConcurrentHashMap.newKeySet();
    List<String> executions = new CopyOnWriteArrayList<>();
    AtomicInteger modelCalls = new AtomicInteger();
    ScriptedChatModel script =
        ScriptedChatModel.builder()
            .thenCall("write", Map.of("n", 1))
            .thenCall("write", Map.of("n", 2))
            .thenCall("write", Map.of("n", 3))
            .thenAnswer("wrote three")
            .build();
    ChatModel counting =
        new ChatModel() {
          @Override
          public ModelResponse chat(ModelRequest request) {
            modelCalls.incrementAndGet();
            return script.chat(request);
          }
        };
    Tool<Write> write =
        Tool.builder("write", Write.class)
            .description("An idempotent write keyed by the idempotency key")
            .effect(Effect.WRITE)
            .idempotent(true)
            .handler(
                (args, ctx) -> {
                  executions.add(ctx.idempotencyKey());
                  effects.add(ctx.idempotencyKey());
                  if (args.n() == 2 && executions.size() == 2) {
                    postgres.get().close(); // the database goes away while the tool runs
                  }
                  return "written";
                })
            .build();
    RunId runId = RunId.of("run-outage");

    try (RunStore store = RunStores.open(url)) {
      Agent agent =
          Agent.builder().name("writer").model(counting).tool(write).journal(store).build();

      assertThatThrownBy(() -> agent.run(runId, "write three"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("is unavailable: appending event #")
          .hasMessageContaining("(ToolCallCompleted) to run run-outage");
      assertThat(modelCalls).hasValue(2);

      postgres.set(restart(port));

      RunResult result = agent.resume(runId);

      assertThat(result.outcome().message()).isEqualTo("completed");
      assertThat(store.find(runId).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(modelCalls).as("the two recorded responses were not requested again").hasValue(4);
      assertThat(effects).hasSize(3);
      assertThat(executions)
          .as("only the call whose completion was lost ran again, with the same key")
          .containsExactly(
              "run-outage/call_1_1",
              "run-outage/call_2_1",
              "run-outage/call_2_1",
              "run-outage/call_3_1");
      assertThat(store.read(runId))
          .extracting(e -> e.event().getClass().getSimpleName())
          .contains("RunResumed")
          .filteredOn(type -> type.equals("ToolCallCompleted"))
          .hasSize(3);
      assertThat(store.read(runId).getLast().event()).isInstanceOf(RunEvent.RunCompleted.class);
    } finally {
      postgres.get().close();
    }
  }

  private EmbeddedPostgres restart(int port) {
    try {
      return start(port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
