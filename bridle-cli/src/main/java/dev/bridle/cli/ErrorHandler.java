package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.approval.ApprovalException;
import picocli.CommandLine;

/**
 * Turns exceptions out of a command into one clear line on stderr and an exit code: a configuration
 * problem (bad workflow file, unknown provider, missing API key) is a usage error; a refused
 * approval decision maps by its reason ({@link ApprovalsCommand#exitCode}); anything else is a
 * failure with its type named, never a bare stack trace.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (e instanceof Runs.RunInterrupted) {
      commandLine.getErr().println("bridle: " + e.getMessage());
      return ExitCode.FAILED;
    }
    if (e instanceof dev.bridle.core.journal.StoreUnavailableException) {
      commandLine.getErr().println("bridle: the run store is unavailable: " + e.getMessage());
      return ExitCode.FAILED;
    }
    if (e instanceof ApprovalException refused) {
      // a decision that cannot be taken: 2 when the command can be fixed, 1 when the state refuses
      commandLine.getErr().println("bridle: " + refused.getMessage());
      return ApprovalsCommand.exitCode(refused.reason());
    }
    if (e instanceof ConfigurationException) {
      commandLine.getErr().println("bridle: " + e.getMessage());
      return ExitCode.USAGE;
    }
    commandLine
        .getErr()
        .println("bridle: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
    return ExitCode.FAILED;
  }
}
