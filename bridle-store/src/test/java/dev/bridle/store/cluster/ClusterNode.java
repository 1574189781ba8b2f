package dev.bridle.store.cluster;

import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.cluster.Worker;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.store.RunStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

/**
 * One node of the multi-node test, as its own JVM: a {@link Worker} on the shared PostgreSQL queue
 * serving a workflow with a slow scripted model and a tool that writes real rows.
 *
 * <p>Arguments: {@code STORE_URL JDBC_URL NODE_ID CONCURRENCY LEASE_MILLIS MODEL_LATENCY_MILLIS}.
 */
public final class ClusterNode {

  public record Step(int n) {}

  private ClusterNode() {}

  public static void main(String[] args) throws Exception {
    String storeUrl = args[0];
    String jdbcUrl = args[1];
    String nodeId = args[2];
    int concurrency = Integer.parseInt(args[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    Duration latency = Duration.ofMillis(Long.parseLong(args[5]));
    RunQueue queue = RunStores.openQueue(storeUrl);
    try (Worker worker =
        Worker.builder()
            .nodeId(nodeId)
            .queue(queue)
            .workflow("cluster", journal -> agent(journal, jdbcUrl, nodeId, latency))
            .concurrency(concurrency)
            .leaseTime(lease)
            .pollInterval(Duration.ofMillis(50))
            .build()
            .start()) {
      System.out.println("STARTED " + nodeId);
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  static Agent agent(RunStore journal, String jdbcUrl, String nodeId, Duration latency) {
    ScriptedChatModel script =
        ScriptedChatModel.builder()
            .name("cluster")
            .thenCall("step", Map.of("n", 1))
            .thenCall("step", Map.of("n", 2))
            .thenCall("step", Map.of("n", 3))
            .thenAnswer("three steps")
            .build();
    ChatModel slow =
        new ChatModel() {
          @Override
          public ModelResponse chat(dev.bridle.core.model.ModelRequest request) {
            try {
              Thread.sleep(latency);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return script.chat(request);
          }

          @Override
          public String id() {
            return script.id();
          }
        };
    Tool<Step> step =
        Tool.builder("step", Step.class)
            .description("Writes one row per idempotency key")
            .effect(Effect.WRITE)
            .idempotent(true)
            .handler(
                (args, ctx) -> {
                  try (Connection c = DriverManager.getConnection(jdbcUrl);
                      PreparedStatement insert =
                          c.prepareStatement(
                              "INSERT INTO effects (idempotency_key, node, n) VALUES (?, ?, ?)"
                                  + " ON CONFLICT (idempotency_key)"
                                  + " DO UPDATE SET attempts = effects.attempts + 1")) {
                    insert.setString(1, ctx.idempotencyKey());
                    insert.setString(2, nodeId);
                    insert.setInt(3, args.n());
                    insert.executeUpdate();
                  }
                  return "ok";
                })
            .build();
    return Agent.builder().name("cluster").model(slow).tool(step).journal(journal).build();
  }
}
