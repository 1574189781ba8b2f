package dev.bridle.cli;

import dev.bridle.core.approval.Approvals;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.cluster.Worker;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.workflow.Durations;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.store.RunStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bridle serve --db URL --node-id ID --workflow FILE...}: a worker node. Claims queued runs
 * and runs whose node died, holds their leases with heartbeats, and runs them to their end; runs
 * whose approval was decided are queued again and continue here. Every minute it applies the
 * workflow's default decision to approvals past their timeout. Stops on SIGTERM or Ctrl-C,
 * releasing its leases.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run a worker node that claims and runs queued runs until stopped.")
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--node-id",
      required = true,
      paramLabel = "ID",
      description = "This node's name, unique in the cluster.")
  String nodeId;

  @Option(
      names = "--workflow",
      required = true,
      paramLabel = "FILE",
      description = "A workflow file this node serves (repeat for more).")
  List<Path> workflowFiles;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      description = "Runs worked on at once (default 16).")
  int concurrency;

  @Option(
      names = "--lease",
      defaultValue = "15s",
      paramLabel = "DURATION",
      description = "Lease time without a heartbeat (default 15s; heartbeats every third).")
  String lease;

  @Option(
      names = "--retain",
      paramLabel = "DURATION",
      description =
          "Retention policy: every hour, delete the journals of runs that ended more than"
              + " DURATION ago, e.g. 30d (default: keep everything).")
  String retain;

  @CommandLine.Mixin ModelOptions models;

  @CommandLine.Mixin StoreOptions store;

  @Override
  public Integer call() throws InterruptedException {
    java.time.Duration leaseTime = duration("--lease", lease);
    java.time.Duration retention = retain == null ? null : duration("--retain", retain);
    Worker.Builder builder =
        Worker.builder().nodeId(nodeId).concurrency(concurrency).leaseTime(leaseTime);
    for (Path file : workflowFiles) {
      WorkflowDefinition workflow = Workflows.load(file);
      ChatModel model = models.choose(workflow, file);
      builder.workflow(
          workflow.name(),
          journal ->
              Workflows.agent(workflow, model, getClass().getClassLoader())
                  .journal(journal)
                  .build());
    }
    RunQueue queue = RunStores.openQueue(store.url());
    Worker worker;
    try {
      worker = builder.queue(queue).build().start();
    } catch (RuntimeException e) {
      queue.store().close();
      throw e;
    }
    Thread pruning = retention == null ? null : startRetention(queue, retention);
    Thread timeouts = startApprovalTimeouts(queue);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (pruning != null) {
                    pruning.interrupt();
                  }
                  timeouts.interrupt();
                  worker.close();
                  queue.store().close();
                  stopped.countDown();
                }));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "bridle serve: node "
            + nodeId
            + " serving "
            + workflowFiles.size()
            + " workflow(s) with "
            + concurrency
            + " slots, lease "
            + lease);
    out.flush();
    stopped.await();
    return ExitCode.OK;
  }

  private java.time.Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  /** How often a node applies the default decision to approvals past their timeout. */
  static final java.time.Duration APPROVAL_TIMEOUT_CHECK = java.time.Duration.ofMinutes(1);

  /**
   * Applies the workflow's default decision to approvals past their timeout, now and then every
   * minute, until interrupted; the decided runs are queued, and a node serving them continues them.
   * Every node may do it: deciding twice decides once.
   */
  private Thread startApprovalTimeouts(RunQueue queue) {
    PrintWriter err = spec.commandLine().getErr();
    Approvals approvals =
        new Approvals(queue.store(), name -> Optional.empty(), java.time.Clock.systemUTC());
    return Thread.ofVirtual()
        .name("bridle-approval-timeouts")
        .start(
            () -> {
              while (true) {
                try {
                  for (RunEvent.ApprovalDecided decided : approvals.expire()) {
                    err.println(
                        "bridle serve: approval "
                            + decided.approvalId()
                            + " timed out; the workflow's default applied: "
                            + decided.decision().name().toLowerCase(java.util.Locale.ROOT));
                    err.flush();
                  }
                } catch (RuntimeException e) {
                  err.println(
                      "bridle serve: applying approval timeouts failed, will retry: "
                          + e.getMessage());
                  err.flush();
                }
                try {
                  Thread.sleep(APPROVAL_TIMEOUT_CHECK);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  /** Prunes ended runs older than {@code age} now and then every hour, until interrupted. */
  private Thread startRetention(RunQueue queue, java.time.Duration age) {
    PrintWriter err = spec.commandLine().getErr();
    return Thread.ofVirtual()
        .name("bridle-retention")
        .start(
            () -> {
              while (true) {
                try {
                  int pruned = queue.store().pruneEndedBefore(java.time.Instant.now().minus(age));
                  if (pruned > 0) {
                    err.println("bridle serve: retention deleted " + pruned + " ended run(s)");
                    err.flush();
                  }
                } catch (RuntimeException e) {
                  err.println("bridle serve: retention failed, will retry: " + e.getMessage());
                  err.flush();
                }
                try {
                  Thread.sleep(java.time.Duration.ofHours(1));
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }
}
