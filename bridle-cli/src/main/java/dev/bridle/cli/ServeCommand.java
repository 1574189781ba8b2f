package dev.bridle.cli;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.workflow.Durations;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.server.BridleServer;
import dev.bridle.server.notify.AlertingKillSwitch;
import dev.bridle.server.notify.FanOutNotifier;
import dev.bridle.server.notify.WebhookNotifier;
import dev.bridle.store.RunStores;
import io.javalin.util.JavalinBindException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bridle serve [--db URL] [--port N] [--workflow FILE...]}: a Bridle node. The JSON API
 * under {@code /api/v1} (docs/api.md), authenticated with the API tokens in the run store's
 * database ({@code bridle tokens create}), and a worker that claims queued runs and runs whose node
 * died, holds their leases with heartbeats, runs them to their end, continues runs whose approval
 * was decided, and applies the workflow's default decision to approvals past their timeout. Any
 * number of nodes share one PostgreSQL database. Stops on SIGTERM or Ctrl-C: the HTTP server first,
 * then the worker, releasing its leases.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run a node: the HTTP API (with token authentication) and a worker that runs the queued"
            + " runs of the served workflows, until stopped.")
final class ServeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "This node's name, unique in the cluster (default: node- and random hex).")
  String nodeId;

  @Option(
      names = "--workflow",
      paramLabel = "FILE",
      description =
          "A workflow file this node serves (repeat for more). Without any, the node serves the"
              + " API and runs nothing.")
  List<Path> workflowFiles = new ArrayList<>();

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "N",
      description = "The HTTP port (default 8080; 0 picks a free one and prints it).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description =
          "The address to bind (default 127.0.0.1; 0.0.0.0 for every interface: put TLS in front).")
  String host;

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

  @Option(
      names = "--webhook-env",
      defaultValue = WebhookNotifier.DEFAULT_URL_VARIABLE,
      paramLabel = "NAME",
      description =
          "The environment variable holding the Slack-compatible webhook URL that gets pending"
              + " approvals, autonomous actions and kill-switch changes (default"
              + " BRIDLE_WEBHOOK_URL; unset: notifications are only logged).")
  String webhookEnv;

  @CommandLine.Mixin ModelOptions models;

  @CommandLine.Mixin StoreOptions store;

  @Override
  public Integer call() {
    oneLineLogs();
    Duration leaseTime = duration("--lease", lease);
    Duration retention = retain == null ? null : duration("--retain", retain);
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, but was " + port);
    }
    if (concurrency < 1 || concurrency > 10_000) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--concurrency must be between 1 and 10000, but was " + concurrency);
    }
    List<ServedWorkflow> served = new ArrayList<>();
    for (Path file : workflowFiles) {
      WorkflowDefinition workflow = Workflows.load(file);
      served.add(new ServedWorkflow(workflow, file, models.choose(workflow, file)));
    }
    Node node =
        Node.start(
            store.url(),
            served,
            webhookEnv,
            server -> {
              server.host(host).port(port).workerConcurrency(concurrency).leaseTime(leaseTime);
              if (nodeId != null) {
                server.nodeId(nodeId);
              }
              return server;
            });
    Thread pruning = retention == null ? null : startRetention(node.queue(), retention);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "bridle serve: node "
            + node.server().nodeId()
            + " serving "
            + served.size()
            + " workflow(s) with "
            + concurrency
            + " slots, lease "
            + lease);
    describeRollouts(out, served);
    out.println("bridle serve: listening on " + node.url() + " (API under /api/v1)");
    if (node.webhook() != null) {
      out.println("bridle serve: notifications go to the webhook at " + node.webhook().host());
    }
    if (served.isEmpty()) {
      out.println(
          "bridle serve: no --workflow given: this node answers the API and runs nothing itself");
    }
    out.println(
        "bridle serve: callers need an API token; create one with: bridle tokens create --role"
            + " admin --name NAME"
            + (store.url != null ? " --db URL (this node's)" : ""));
    out.flush();
    runUntilStopped(
        () -> {
          if (pruning != null) {
            pruning.interrupt();
          }
          node.close();
          out.println("bridle serve: stopped");
          out.flush();
        });
    return ExitCode.OK;
  }

  /** One line per workflow served in several versions: which version gets which share. */
  private static void describeRollouts(PrintWriter out, List<ServedWorkflow> served) {
    java.util.Map<String, List<ServedWorkflow>> byName = new java.util.LinkedHashMap<>();
    served.forEach(s -> byName.computeIfAbsent(s.workflow().name(), k -> new ArrayList<>()).add(s));
    byName.forEach(
        (name, versions) -> {
          if (versions.size() > 1) {
            out.println(
                "bridle serve: "
                    + name
                    + " in "
                    + versions.size()
                    + " versions side by side: "
                    + versions.stream()
                        .map(
                            v ->
                                "version "
                                    + v.workflow().version()
                                    + " gets "
                                    + v.workflow().rollout().traffic().orElseThrow()
                                    + " of new runs")
                        .collect(java.util.stream.Collectors.joining(", ")));
          }
        });
  }

  /**
   * The node's log records (the server's, the approval notices) one line each on stderr, unless
   * {@code java.util.logging.SimpleFormatter.format} says otherwise; before anything logs.
   */
  static void oneLineLogs() {
    String property = "java.util.logging.SimpleFormatter.format";
    if (System.getProperty(property) == null) {
      System.setProperty(property, "%1$tFT%1$tT %4$s %5$s%6$s%n");
    }
  }

  /**
   * Waits until the process is asked to stop (SIGTERM, Ctrl-C), then runs {@code close} once; the
   * JVM exits only after it finished. Interrupting the waiting thread (an embedding program, a
   * test) closes too, and takes the shutdown hook back.
   */
  static void runUntilStopped(Runnable close) {
    CountDownLatch closed = new CountDownLatch(1);
    AtomicBoolean closing = new AtomicBoolean();
    Runnable closeOnce =
        () -> {
          if (closing.compareAndSet(false, true)) {
            try {
              close.run();
            } finally {
              closed.countDown();
            }
          }
        };
    Thread hook = new Thread(closeOnce, "bridle-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      closed.await();
    } catch (InterruptedException e) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs (or ran) closeOnce itself
      }
      closeOnce.run();
      Thread.currentThread().interrupt();
    }
  }

  private Duration duration(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  /** Prunes ended runs older than {@code age} now and then every hour, until interrupted. */
  private Thread startRetention(RunQueue queue, Duration age) {
    PrintWriter err = spec.commandLine().getErr();
    return Thread.ofVirtual()
        .name("bridle-retention")
        .start(
            () -> {
              while (true) {
                try {
                  int pruned = queue.store().pruneEndedBefore(Instant.now().minus(age));
                  if (pruned > 0) {
                    err.println("bridle serve: retention deleted " + pruned + " ended run(s)");
                    err.flush();
                  }
                } catch (RuntimeException e) {
                  err.println("bridle serve: retention failed, will retry: " + e.getMessage());
                  err.flush();
                }
                try {
                  Thread.sleep(Duration.ofHours(1));
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  /** A workflow a node serves, from {@code file}, with the model its runs call. */
  record ServedWorkflow(WorkflowDefinition workflow, Path file, ChatModel model) {}

  /**
   * A running node (for {@code serve} and {@code demo}): the queue on the store, the API tokens in
   * the same database, and the HTTP server with its worker. Closing it stops the server (and the
   * worker), then closes the token connections and the store.
   */
  record Node(
      RunQueue queue,
      TokensCommand.TokenDatabase tokens,
      BridleServer server,
      dev.bridle.observability.Observability observability,
      WebhookNotifier webhook)
      implements AutoCloseable {

    /**
     * Opens the store at {@code url} and starts a server on it for {@code workflows}; {@code
     * settings} sets the port, host, node id and worker settings on the builder.
     *
     * @throws ConfigurationException when the port is taken, or a workflow's tools are wrong
     */
    static Node start(
        String url, List<ServedWorkflow> workflows, UnaryOperator<BridleServer.Builder> settings) {
      return start(url, workflows, WebhookNotifier.DEFAULT_URL_VARIABLE, settings);
    }

    /**
     * {@link #start(String, List, UnaryOperator)}; when the environment variable {@code webhookEnv}
     * holds a URL, the agents notify the log and that webhook, and kill-switch changes made through
     * the API are posted there too ({@link #webhook()} is null otherwise).
     */
    static Node start(
        String url,
        List<ServedWorkflow> workflows,
        String webhookEnv,
        UnaryOperator<BridleServer.Builder> settings) {
      // the dashboard's address is known once the server listens (--port 0)
      AtomicReference<URI> dashboard = new AtomicReference<>();
      WebhookNotifier webhook =
          WebhookNotifier.urlFromEnvironment(webhookEnv, System.getenv())
              .map(
                  hook ->
                      WebhookNotifier.builder()
                          .url(hook)
                          .dashboard(() -> Optional.ofNullable(dashboard.get()))
                          .build())
              .orElse(null);
      dev.bridle.core.control.Notifier notifier =
          webhook == null
              ? dev.bridle.core.control.Notifier.LOG
              : FanOutNotifier.of(dev.bridle.core.control.Notifier.LOG, webhook);
      RunQueue queue = RunStores.openQueue(url);
      TokensCommand.TokenDatabase tokens = null;
      try {
        KillSwitch kills = StoreOptions.killSwitch(queue.store());
        tokens = TokensCommand.TokenDatabase.open(url);
        // traces and metrics are projections of the journal: every agent appends through it
        dev.bridle.observability.Observability observability =
            dev.bridle.observability.Observability.builder()
                .controlPlane(
                    dev.bridle.observability.ControlPlaneState.builder().killSwitch(kills).build())
                .build();
        BridleServer.Builder builder =
            BridleServer.builder()
                .queue(queue)
                .killSwitch(webhook == null ? kills : new AlertingKillSwitch(kills, webhook))
                .tokens(tokens.tokens())
                .deploymentEvidence(RunStores.deploymentEvidence(queue.store()))
                .metrics(observability::scrape);
        ClassLoader loader = ServeCommand.class.getClassLoader();
        for (ServedWorkflow served : workflows) {
          // resolve the tools now, so that a wrong workflow stops the node before it listens
          Workflows.tools(served.workflow(), loader);
          // each version's readiness is assessed with its file's promotion: thresholds
          builder.promotion(
              served.workflow().name(), served.workflow().version(), served.workflow().promotion());
        }
        // files that share a workflow name are its versions, served side by side
        WorkflowRollouts.of(
                workflows,
                served ->
                    journal ->
                        StoreOptions.agent(
                                served.workflow(), served.model(), queue.store(), loader, kills)
                            .journal(observability.observe(journal))
                            .notifier(notifier)
                            .build())
            .forEach(builder::workflow);
        BridleServer.Builder configured = settings.apply(builder);
        BridleServer server;
        try {
          server = configured.build().start();
        } catch (JavalinBindException e) {
          throw new ConfigurationException(
              "cannot listen there: "
                  + e.getMessage()
                  + " (choose another with --port N; --port 0 picks a free one)",
              e);
        }
        Node node = new Node(queue, tokens, server, observability, webhook);
        dashboard.set(URI.create(node.url()));
        return node;
      } catch (RuntimeException e) {
        if (webhook != null) {
          webhook.close();
        }
        if (tokens != null) {
          tokens.close();
        }
        queue.store().close();
        throw e;
      }
    }

    /** The base URL to reach the server from this machine, ending in {@code /}. */
    String url() {
      String host = server.host();
      String shown =
          host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
              ? "127.0.0.1"
              : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
      return "http://" + shown + ":" + server.port() + "/";
    }

    @Override
    public void close() {
      try {
        server.close();
        observability.close();
      } finally {
        if (webhook != null) {
          webhook.close();
        }
        try {
          tokens.close();
        } finally {
          queue.store().close();
        }
      }
    }
  }
}
