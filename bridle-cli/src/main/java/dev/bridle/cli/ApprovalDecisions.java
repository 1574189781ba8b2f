package dev.bridle.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.approval.ApprovalException;
import dev.bridle.core.approval.ApprovalItem;
import dev.bridle.core.approval.Approvals;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.run.Agent;
import dev.bridle.core.run.RunResult;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle approvals approve|reject|respond ID}: a decision, journaled once and bound to the
 * call, its arguments, the policy version and the approver. With {@code --workflow FILE} the run
 * then continues here, under its lease, and the command exits like {@code bridle run}; without it,
 * the run is queued for any node that serves its workflow.
 */
final class ApprovalDecisions {

  private ApprovalDecisions() {}

  /** What every decision command shares. */
  abstract static class Decide implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APPROVAL_ID", description = "<runId>/<callId>")
    String approvalId;

    @Option(
        names = "--as",
        paramLabel = "NAME",
        description =
            "Who decides, recorded on the decision and in the audit trail (default: the login"
                + " name). Where the workflow asks for four eyes, the run's requester may not"
                + " approve.")
    String approver = System.getProperty("user.name", "local");

    @Option(
        names = "--workflow",
        paramLabel = "FILE",
        description =
            "The run's workflow file: edits are checked against its tools and policy, and the"
                + " run continues here after the decision. Without it the run is queued for a"
                + " 'bridle serve' node, or 'bridle resume'.")
    Path workflowFile;

    @Mixin ModelOptions models;

    @Mixin StoreOptions store;

    @Option(names = "--json", description = "Print one JSON object: the decision and the run.")
    boolean json;

    abstract Decision decision();

    /** The edited arguments (JSON) for an edit, else null. */
    String editedArguments() {
      return null;
    }

    /** The rejection reason or the response; empty for an approval. */
    String message() {
      return "";
    }

    @Override
    public Integer call() {
      String edited = editedArguments();
      WorkflowDefinition workflow = workflowFile == null ? null : Workflows.load(workflowFile);
      if (decision() == Decision.EDIT && workflow == null) {
        throw usage(
            "--args needs --workflow FILE: edited arguments are checked against the tool's schema"
                + " and the workflow's policy before they are accepted");
      }
      ChatModel model = workflow == null ? null : models.choose(workflow, workflowFile);
      RunQueue queue = RunStores.openQueue(store.url());
      try (RunStore opened = queue.store()) {
        Agent agent =
            workflow == null ? null : agent(workflow, model, opened).journal(opened).build();
        Approvals approvals =
            new Approvals(
                opened,
                name ->
                    agent != null && agent.name().equals(name)
                        ? Optional.of(agent)
                        : Optional.empty(),
                Clock.systemUTC());
        ApprovalItem item =
            approvals
                .find(approvalId)
                .orElseThrow(
                    () ->
                        new ApprovalException(
                            ApprovalException.Reason.NOT_FOUND, "no approval " + approvalId));
        if (workflow != null && !workflow.name().equals(item.workflow())) {
          throw usage(
              "approval "
                  + approvalId
                  + " belongs to a run of workflow '"
                  + item.workflow()
                  + "', but "
                  + workflowFile
                  + " is workflow '"
                  + workflow.name()
                  + "'");
        }
        RunEvent.ApprovalDecided decided =
            approvals.decide(approvalId, decision(), edited, message(), approver);
        Optional<RunResult> resumed =
            workflow == null
                ? Optional.empty()
                : Runs.resumeUnderLease(
                    spec, queue, agent(workflow, model, opened), item.runId(), workflowFile);
        return report(item, decided, workflow, model, resumed);
      }
    }

    private Agent.Builder agent(WorkflowDefinition workflow, ChatModel model, RunStore opened) {
      return StoreOptions.agent(workflow, model, opened, getClass().getClassLoader());
    }

    private int report(
        ApprovalItem item,
        RunEvent.ApprovalDecided decided,
        WorkflowDefinition workflow,
        ChatModel model,
        Optional<RunResult> resumed) {
      PrintWriter out = spec.commandLine().getOut();
      int exit = resumed.map(result -> ExitCode.of(result.outcome())).orElse(ExitCode.OK);
      if (json) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("decision", ApprovalsCommand.decisionJson(decided));
        if (resumed.isPresent()) {
          node.put("resumed", true);
          node.set("run", RunCommand.toJson(workflow, model, resumed.get()));
        } else {
          node.put("resumed", false);
          node.putNull("run");
        }
        out.println(node);
        out.flush();
        return exit;
      }
      out.println(
          "Approval "
              + decided.approvalId()
              + " "
              + ApprovalsCommand.describe(decided.decision())
              + " by "
              + decided.approver()
              + (decided.decision() == Decision.EDIT ? ": " + decided.arguments() : "")
              + (decided.message().isBlank() ? "" : ": " + decided.message()));
      if (resumed.isPresent()) {
        RunCommand.printOutcome(out, resumed.get(), workflowFile);
      } else if (workflow != null) {
        out.println(
            "Run "
                + item.runId()
                + " is being worked on by a worker node (it holds the run's lease); it continues"
                + " the run.");
      } else {
        out.println(
            "Run "
                + item.runId()
                + " is queued: a 'bridle serve' node serving workflow '"
                + item.workflow()
                + "' continues it, or continue it here with: bridle resume "
                + item.runId()
                + " --workflow FILE");
      }
      out.flush();
      return exit;
    }

    CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description =
          "Approve a call: it runs once, as proposed, or with --args as the approver edited it"
              + " (checked against the tool's schema and the policy). For a call in doubt: run it"
              + " again.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:decided (and, with --workflow, the run completed or was taken by a worker)",
        "1:refused (decided already, run ended, four eyes), or the continued run did not complete",
        "2:usage error: unknown approval, edit refused, invalid workflow file",
        "3:decided, and the continued run waits for another decision"
      })
  static final class Approve extends Decide {
    @Option(
        names = "--args",
        paramLabel = "JSON",
        description = "Run the call with these arguments instead (a JSON object).")
    String arguments;

    @Override
    Decision decision() {
      return arguments == null ? Decision.APPROVE : Decision.EDIT;
    }

    @Override
    String editedArguments() {
      if (arguments == null) {
        return null;
      }
      try {
        if (!Json.MAPPER.readTree(arguments).isObject()) {
          throw usage("--args must be a JSON object, like {\"to\": \"a@example.com\"}");
        }
      } catch (JsonProcessingException e) {
        throw usage("--args is not valid JSON: " + e.getOriginalMessage());
      }
      return arguments;
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description =
          "Reject a call: it does not run, and the model is told it was rejected and why.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:decided (and, with --workflow, the run completed or was taken by a worker)",
        "1:refused (decided already, run ended), or the continued run did not complete",
        "2:usage error: unknown approval, invalid workflow file",
        "3:decided, and the continued run waits for another decision"
      })
  static final class Reject extends Decide {
    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why; the model reads it.")
    String reason;

    @Override
    Decision decision() {
      return Decision.REJECT;
    }

    @Override
    String message() {
      return reason;
    }
  }

  @Command(
      name = "respond",
      mixinStandardHelpOptions = true,
      description =
          "Answer in place of the tool: the call does not run, and the model reads TEXT as its"
              + " result. For a call in doubt: say what happened.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:decided (and, with --workflow, the run completed or was taken by a worker)",
        "1:refused (decided already, run ended, four eyes), or the continued run did not complete",
        "2:usage error: unknown approval, empty text, invalid workflow file",
        "3:decided, and the continued run waits for another decision"
      })
  static final class Respond extends Decide {
    @Option(
        names = "--text",
        required = true,
        paramLabel = "TEXT",
        description = "The tool result the model reads.")
    String text;

    @Override
    Decision decision() {
      return Decision.RESPOND;
    }

    @Override
    String message() {
      return text;
    }
  }
}
