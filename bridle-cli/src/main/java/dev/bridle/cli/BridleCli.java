package dev.bridle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bridle} command line. Subcommands are {@code Callable<Integer>}; see {@link ExitCode}.
 */
@Command(
    name = "bridle",
    mixinStandardHelpOptions = true,
    versionProvider = BridleCli.Version.class,
    description = "Bridle: a production runtime and control plane for LLM agents.",
    subcommands = {
      RunCommand.class,
      ResumeCommand.class,
      SubmitCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      TokensCommand.class,
      RunsCommand.class,
      ApprovalsCommand.class,
      AuditCommand.class,
      RevertCommand.class,
      KillCommand.class,
      ReviveCommand.class,
      ReplayCommand.class,
      BreakerCommand.class,
      EvalCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BridleCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // JSON or text logs with secrets and personal data redacted (BRIDLE_LOG_FORMAT, ..._LEVEL)
    dev.bridle.observability.log.LogSetup.configureFromEnvironment(
        ch.qos.logback.classic.Level.WARN);
    System.exit(commandLine().execute(args));
  }

  /** A configured command line; tests call {@code execute} on it and read the exit code. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new BridleCli());
    commandLine.setExecutionExceptionHandler(new ErrorHandler());
    // the tables print statuses in lower case; --status accepts what they print
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. 'run'");
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BridleCli.class.getPackage().getImplementationVersion();
      return new String[] {"bridle " + (version == null ? "(development build)" : version)};
    }
  }
}
