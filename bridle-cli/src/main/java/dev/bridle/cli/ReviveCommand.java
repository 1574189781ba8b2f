package dev.bridle.cli;

import dev.bridle.core.control.KillSwitch;
import dev.bridle.store.KillSwitchStore;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bridle revive [--workflow W | --agent A]}: turns a kill switch off. Parked runs stay
 * parked until someone resumes or cancels them: reviving does not restart work by surprise.
 */
@Command(
    name = "revive",
    mixinStandardHelpOptions = true,
    description =
        "Turn a kill switch off (the global one without --workflow/--agent). Parked runs stay"
            + " parked until resumed (bridle resume) or cancelled (bridle runs cancel).")
final class ReviveCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @ArgGroup(exclusive = true)
  KillCommand.Target target;

  @Option(names = "--as", paramLabel = "NAME", description = "Who (default: your login name).")
  String by;

  @Override
  public Integer call() {
    KillSwitch.Scope scope = target == null ? KillSwitch.Scope.GLOBAL : target.scope();
    String name = target == null ? "*" : target.name();
    try (KillSwitchStore kills = RunStores.openKillSwitch(store.url())) {
      boolean was = kills.revive(scope, name, KillCommand.who(by));
      PrintWriter out = spec.commandLine().getOut();
      if (!was) {
        out.println(KillCommand.describe(scope, name) + " was not on; nothing changed.");
        out.flush();
        return ExitCode.FAILED;
      }
      out.println(
          "Revived: "
              + KillCommand.describe(scope, name)
              + " is off. Parked runs stay parked: see bridle kill --list, then bridle resume"
              + " RUN_ID --workflow FILE or bridle runs cancel RUN_ID.");
      out.flush();
      return ExitCode.OK;
    }
  }
}
