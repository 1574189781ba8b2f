package dev.bridle.cli;

import dev.bridle.core.deploy.Deployment;
import dev.bridle.core.deploy.DeploymentException;
import dev.bridle.core.deploy.EvidenceJson;
import dev.bridle.core.deploy.Feedback;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle feedback RUN_ID --rating N [--comment TEXT]}: a rating of a run, 1 (bad) to 5
 * (good), by its requester or a reviewer; one per run and person (rating again replaces it).
 * Aggregated per workflow and version by {@code bridle workflows status} and {@code compare}.
 */
@Command(
    name = "feedback",
    mixinStandardHelpOptions = true,
    description =
        "Rate a run 1 (bad) to 5 (good), with an optional comment; rating it again replaces your"
            + " earlier rating.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:recorded",
      "1:the run has not started yet",
      "2:usage error: an unknown run, a rating outside 1 to 5, a comment over 2000 characters"
    })
final class FeedbackCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run.")
  String runId;

  @Option(
      names = "--rating",
      required = true,
      paramLabel = "N",
      description = "1 (bad) to 5 (good).")
  int rating;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      defaultValue = "",
      description = "What was good or wrong (at most 2000 characters).")
  String comment;

  @Option(names = "--as", paramLabel = "NAME", description = "Who (default: your login name).")
  String by;

  @Option(names = "--json", description = "Print the recorded feedback as JSON.")
  boolean json;

  @Override
  public Integer call() {
    RunId run = ShadowCommand.runId(spec, runId);
    PrintWriter out = spec.commandLine().getOut();
    try (RunStore opened = store.open()) {
      Deployment.FeedbackRecorded recorded =
          WorkflowsCommand.deployment(opened)
              .recordFeedback(run, rating, comment, KillCommand.who(by));
      Feedback feedback = recorded.feedback();
      if (json) {
        out.println(
            Json.write(
                EvidenceJson.plain().feedback(feedback).put("replaced", recorded.replaced())));
      } else {
        out.println(
            (recorded.replaced() ? "Replaced the earlier rating of " : "Recorded a rating of ")
                + feedback.by()
                + " for run "
                + run
                + " of "
                + feedback.workflow()
                + "@"
                + feedback.workflowVersion()
                + ": "
                + feedback.rating()
                + "/"
                + Feedback.MAX_RATING
                + (feedback.comment().isEmpty()
                    ? ""
                    : " with a comment of " + feedback.comment().length() + " characters")
                + ".");
      }
      out.flush();
      return ExitCode.OK;
    } catch (DeploymentException e) {
      return WorkflowsCommand.refused(spec, e);
    }
  }
}
