package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunQuery;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.store.KillSwitchStore;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bridle kill [--workflow W | --agent A] [--reason TEXT]}: turns a kill switch on. Every
 * node stops the covered runs before their next model or tool call (within a second), parks them as
 * KILLED, and the agents' credentials refuse. {@code --list} shows the switches that are on, the
 * parked runs and the recent history.
 */
@Command(
    name = "kill",
    mixinStandardHelpOptions = true,
    description =
        "Turn a kill switch on (global without --workflow/--agent): covered runs stop before their"
            + " next model or tool call on every node and park as KILLED.")
final class KillCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @ArgGroup(exclusive = true)
  Target target;

  /** Which switch: global unless a workflow or an agent is named. */
  static final class Target {
    @Option(names = "--workflow", paramLabel = "NAME", description = "Only this workflow.")
    String workflow;

    @Option(
        names = "--agent",
        paramLabel = "IDENTITY",
        description = "Only this agent version, e.g. agent:support-triage@3.")
    String agent;

    KillSwitch.Scope scope() {
      return workflow != null ? KillSwitch.Scope.WORKFLOW : KillSwitch.Scope.AGENT;
    }

    String name() {
      return workflow != null ? workflow : agent;
    }
  }

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why.")
  String reason;

  @Option(names = "--as", paramLabel = "NAME", description = "Who (default: your login name).")
  String by;

  @Option(names = "--list", description = "Show the switches that are on, parked runs, history.")
  boolean list;

  @Option(names = "--json", description = "With --list: print JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (KillSwitchStore kills = RunStores.openKillSwitch(store.url())) {
      if (list) {
        return list(kills);
      }
      KillSwitch.Scope scope = target == null ? KillSwitch.Scope.GLOBAL : target.scope();
      String name = target == null ? "*" : target.name();
      kills.kill(scope, name, who(by), reason);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "Killed: "
              + describe(scope, name)
              + ". Covered runs stop before their next model or tool call on every node and park"
              + " as KILLED; turn it off with: bridle revive"
              + flags(scope, name));
      out.flush();
      return ExitCode.OK;
    }
  }

  private int list(KillSwitchStore kills) {
    PrintWriter out = spec.commandLine().getOut();
    List<KillSwitch.Kill> active = kills.active();
    List<RunSummary> parked;
    try (var opened = store.open()) {
      parked = opened.list(RunQuery.ALL.withStatus(RunStatus.KILLED).withLimit(1000));
    }
    if (json) {
      ObjectNode root = Json.MAPPER.createObjectNode();
      ArrayNode on = root.putArray("active");
      for (KillSwitch.Kill kill : active) {
        on.addObject()
            .put("scope", kill.scope().name())
            .put("target", kill.target())
            .put("by", kill.by())
            .put("reason", kill.reason())
            .put("at", kill.at().toString());
      }
      ArrayNode runs = root.putArray("parkedRuns");
      parked.forEach(r -> runs.add(r.runId().value()));
      out.println(Json.write(root));
    } else {
      if (active.isEmpty()) {
        out.println("No kill switch is on.");
      }
      for (KillSwitch.Kill kill : active) {
        out.println(
            "ON  "
                + describe(kill.scope(), kill.target())
                + "  since "
                + kill.at()
                + " by "
                + kill.by()
                + (kill.reason().isBlank() ? "" : ": " + kill.reason()));
      }
      out.println(parked.size() + " parked run(s)" + (parked.isEmpty() ? "" : ":"));
      for (RunSummary run : parked) {
        out.println("  " + run.runId() + "  " + run.workflow() + "  " + run.user());
      }
      if (!parked.isEmpty()) {
        out.println(
            "After a revive, continue one with: bridle resume RUN_ID --workflow FILE; or end it"
                + " with: bridle runs cancel RUN_ID");
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  static String who(String by) {
    return by != null && !by.isBlank() ? by : System.getProperty("user.name", "operator");
  }

  static String describe(KillSwitch.Scope scope, String name) {
    return switch (scope) {
      case GLOBAL -> "the global kill switch";
      case WORKFLOW -> "the kill switch of workflow " + name;
      case AGENT -> "the kill switch of " + name;
    };
  }

  static String flags(KillSwitch.Scope scope, String name) {
    return switch (scope) {
      case GLOBAL -> "";
      case WORKFLOW -> " --workflow " + name;
      case AGENT -> " --agent " + name;
    };
  }
}
