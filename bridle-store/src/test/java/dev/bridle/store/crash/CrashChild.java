package dev.bridle.store.crash;

import static dev.bridle.core.model.ScriptedChatModel.Builder.call;

import dev.bridle.core.journal.ForwardingRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.Snapshot;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.store.RunStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The process the crash tests kill: runs (or resumes) a scripted agent whose tools write real side
 * effects into a SQLite table, and stops dead at a chosen point, printing {@code PAUSED}, so that
 * the test can {@code kill -9} it exactly there.
 *
 * <p>Arguments: {@code run|resume RUN_ID STORE_URL EFFECTS_DB PAUSE}, where PAUSE is {@code none},
 * {@code after:EventType:n} (after the n-th append of that type), {@code in-tool:NAME:n} (inside
 * the n-th call of that tool, after its effect is committed) or {@code in-snapshot:n}.
 */
public final class CrashChild {

  /** The arguments of both tools. */
  public record Transfer(String account, int amount) {}

  public record Note(String text) {}

  static final ScriptedChatModel SCRIPT =
      ScriptedChatModel.builder()
          .name("crash")
          .thenCall("record_note", Map.of("text", "a"))
          .thenCalls(
              call("transfer", Map.of("account", "acct-1", "amount", 10)),
              call("record_note", Map.of("text", "b")))
          .thenCall("transfer", Map.of("account", "acct-2", "amount", 20))
          .thenAnswer("moved 30 in two transfers and wrote two notes")
          .build();

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    RunId runId = RunId.of(args[1]);
    Pause pause = Pause.parse(args[4]);
    try (RunStore store = new PausingStore(RunStores.open(args[2]), pause)) {
      Agent agent = agent(store, args[3], pause);
      RunResult result = mode.equals("run") ? agent.run(runId, "move money") : agent.resume(runId);
      System.out.println("OUTCOME " + result.outcome().message());
    }
  }

  static Agent agent(RunStore store, String effectsDb, Pause pause) {
    Tool<Transfer> transfer =
        Tool.builder("transfer", Transfer.class)
            .description("Move money; not idempotent")
            .effect(Effect.EXTERNAL)
            .idempotent(false)
            .handler(
                (args, ctx) -> {
                  effect(
                      effectsDb,
                      "INSERT INTO effects VALUES (?, ?, ?)",
                      ctx.idempotencyKey(),
                      "transfer",
                      args.account() + ":" + args.amount());
                  pause.inTool("transfer");
                  return "transferred";
                })
            .build();
    Tool<Note> note =
        Tool.builder("record_note", Note.class)
            .description("Record a note; idempotent by key")
            .effect(Effect.WRITE)
            .idempotent(true)
            .handler(
                (args, ctx) -> {
                  // Idempotent the way real systems are: the write is keyed by the idempotency key.
                  effect(
                      effectsDb,
                      "INSERT INTO effects SELECT ?1, ?2, ?3 WHERE NOT EXISTS"
                          + " (SELECT 1 FROM effects WHERE idempotency_key = ?1 AND tool = ?2)",
                      ctx.idempotencyKey(),
                      "record_note",
                      args.text());
                  pause.inTool("record_note");
                  return "recorded";
                })
            .build();
    return Agent.builder()
        .name("crash")
        // the crash tests are about durability: the external transfer runs without a human
        .policy(
            dev.bridle.core.policy.Policy.builder()
                .mode(dev.bridle.core.policy.Mode.AUTONOMOUS)
                .maxUnapprovedEffect(Effect.EXTERNAL)
                .rule(dev.bridle.core.policy.Rule.allow("*"))
                .build())
        .model(SCRIPT)
        .tool(transfer)
        .tool(note)
        .journal(store)
        .snapshotEvery(5)
        .build();
  }

  static void createEffectsTable(String effectsDb) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + effectsDb)) {
      c.createStatement()
          .execute(
              "CREATE TABLE IF NOT EXISTS effects (idempotency_key TEXT, tool TEXT, args TEXT)");
    }
  }

  private static void effect(String effectsDb, String sql, String key, String tool, String args)
      throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + effectsDb);
        PreparedStatement statement = c.prepareStatement(sql)) {
      statement.setString(1, key);
      statement.setString(2, tool);
      statement.setString(3, args);
      statement.executeUpdate();
    }
  }

  /** Where to stop dead. */
  record Pause(String kind, String what, int nth, int[] seen) {
    static Pause parse(String spec) {
      if (spec.equals("none")) {
        return new Pause("none", "", 0, new int[1]);
      }
      String[] parts = spec.split(":");
      return parts[0].equals("in-snapshot")
          ? new Pause(parts[0], "", Integer.parseInt(parts[1]), new int[1])
          : new Pause(parts[0], parts[1], Integer.parseInt(parts[2]), new int[1]);
    }

    void afterAppend(RunEvent event) {
      if (kind.equals("after")
          && event.getClass().getSimpleName().equals(what)
          && ++seen[0] == nth) {
        stopDead("after " + what + " #" + nth);
      }
    }

    void inTool(String tool) {
      if (kind.equals("in-tool") && tool.equals(what) && ++seen[0] == nth) {
        stopDead("in " + tool + " #" + nth);
      }
    }

    void inSnapshot() {
      if (kind.equals("in-snapshot") && ++seen[0] == nth) {
        stopDead("in snapshot #" + nth);
      }
    }

    private static void stopDead(String where) {
      System.out.println("PAUSED " + where);
      System.out.flush();
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The real store, with the pause points around it. */
  static final class PausingStore extends ForwardingRunStore {
    private final Pause pause;

    PausingStore(RunStore delegate, Pause pause) {
      super(delegate);
      this.pause = pause;
    }

    @Override
    public long append(RunId runId, long expectedLastSeq, RunEvent event) {
      long seq = super.append(runId, expectedLastSeq, event);
      pause.afterAppend(event);
      return seq;
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
      pause.inSnapshot();
      super.saveSnapshot(snapshot);
    }
  }
}
