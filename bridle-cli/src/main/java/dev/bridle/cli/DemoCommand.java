package dev.bridle.cli;

import dev.bridle.core.BridleException;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.RunSummary;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.server.auth.ApiToken;
import dev.bridle.server.auth.IssuedToken;
import dev.bridle.server.auth.Role;
import dev.bridle.server.auth.TokenStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bridle demo}: everything a first look needs, in one command. Starts a node (as {@code
 * bridle serve}) on a SQLite file with every example workflow it finds ({@code examples/*}{@code
 * /workflow.yaml}), on the scripts in their files unless the provider's API key is in the
 * environment; feeds each a few sample tasks so the inbox and the timelines have content; creates a
 * fresh admin token (revoking the previous demo's); prints the dashboard URL and the token; and
 * runs until Ctrl-C. Running it again reuses the database: older runs stay, new sample runs join
 * them.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start a local node with the example workflows on SQLite, feed it sample tasks, and print"
            + " the dashboard URL and a fresh admin token; runs until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

  /** Where the demo keeps its runs and tokens unless told otherwise. */
  static final String DEFAULT_DB = "sqlite:.bridle/demo.db";

  /** The principal of the demo's admin token; each demo revokes the previous one's. */
  static final String PRINCIPAL = "demo-admin";

  /** Who the sample runs are for (not the admin, so that four-eyes rules let the admin approve). */
  static final String SAMPLE_USER = "demo-user";

  /** A file of sample tasks, one a line, that an example may carry next to its workflow file. */
  static final String TASKS_FILE = "demo-tasks.txt";

  /** Sample tasks that fit the examples' scripts, by workflow name. */
  private static final Map<String, List<String>> SCRIPTED_SAMPLES =
      Map.of(
          "support-triage",
          List.of(
              "Our card was charged twice for the Team annual plan on the same day, and the"
                  + " billing page shows two identical invoices. Please fix it.",
              "I cancelled my trial last week but was still charged for the Pro plan this month."),
          "lead-enrichment",
          List.of(
              "New lead L-1004 signed up: Mara Quist <mara.quist@fernhollow.example>,"
                  + " Fernhollow Bakery"));

  /** More sample tasks when a real model plays the workflow: they need one to make sense. */
  private static final Map<String, List<String>> MODEL_SAMPLES =
      Map.of(
          "support-triage",
          List.of(
              "When I export the weekly timesheet to CSV, entries after midnight land on the wrong"
                  + " day and the totals differ from the app."),
          "lead-enrichment",
          List.of(
              "New lead L-1005 signed up: Tomas Ekwall <tomas.ekwall@greyfjord-freight.example>,"
                  + " Greyfjord Freight"));

  /** The API key variable of each provider that needs one. */
  private static final Map<String, String> KEY_VARIABLES =
      Map.of(
          "openai", "OPENAI_API_KEY",
          "anthropic", "ANTHROPIC_API_KEY",
          "gemini", "GEMINI_API_KEY");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "N",
      description = "The HTTP port on 127.0.0.1 (default 8080; 0 picks a free one).")
  int port;

  @Option(
      names = "--db",
      defaultValue = DEFAULT_DB,
      paramLabel = "URL",
      description = "The run store (default " + DEFAULT_DB + " in this directory).")
  String db;

  @Option(
      names = "--examples",
      paramLabel = "DIR",
      description =
          "Where to look for */workflow.yaml (default: examples/ in this directory, else the one"
              + " of the checkout the bridle jar was built in).")
  Path examples;

  @CommandLine.Mixin ModelOptions models;

  /** One example workflow the demo serves, with the model it runs on and its sample tasks. */
  private record Example(
      ServeCommand.ServedWorkflow served, String modelLabel, List<String> tasks) {}

  @Override
  public Integer call() {
    ServeCommand.oneLineLogs();
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--port must be between 0 and 65535, but was " + port);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path directory = examplesDirectory();
    List<Example> loaded = new ArrayList<>();
    for (Path file : workflowFiles(directory)) {
      try {
        loaded.add(load(file));
      } catch (BridleException e) {
        err.println("bridle demo: skipping " + file + ": " + e.getMessage());
      }
    }
    err.flush();
    if (loaded.isEmpty()) {
      throw new ConfigurationException(
          "no example workflow under " + directory + " could be loaded; see the messages above");
    }
    String nodeId = "demo-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    ServeCommand.Node node =
        ServeCommand.Node.start(
            db,
            loaded.stream().map(Example::served).toList(),
            server -> server.host("127.0.0.1").port(port).nodeId(nodeId).workerConcurrency(4));
    IssuedToken token;
    int revoked;
    List<RunId> samples = new ArrayList<>();
    try {
      TokenStore tokens = node.tokens().tokens();
      revoked = revokeEarlierDemoTokens(tokens);
      token = tokens.issue(PRINCIPAL, Role.ADMIN);
      for (Example example : loaded) {
        for (String task : example.tasks()) {
          samples.add(
              node.queue()
                  .submit(
                      RunId.random(),
                      example.served().workflow().name(),
                      task,
                      SAMPLE_USER,
                      Clock.systemUTC()));
        }
      }
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    printBanner(out, node, loaded, token, revoked, samples.size());
    Thread reporter =
        Thread.ofVirtual()
            .name("bridle-demo-samples")
            .start(() -> reportWhenSettled(node.queue().store(), samples, out));
    ServeCommand.runUntilStopped(
        () -> {
          reporter.interrupt();
          node.close();
          out.println("bridle demo: stopped; start it again with: bridle demo");
          out.flush();
        });
    return ExitCode.OK;
  }

  private void printBanner(
      PrintWriter out,
      ServeCommand.Node node,
      List<Example> loaded,
      IssuedToken token,
      int revoked,
      int submitted) {
    String url = node.url();
    out.println(
        "Bridle demo: node "
            + node.server().nodeId()
            + " on "
            + (shownDb().equals("URL") ? "the --db database" : db)
            + ", serving "
            + loaded.stream()
                .map(e -> e.served().workflow().name() + " (" + e.modelLabel() + ")")
                .collect(Collectors.joining(", ")));
    out.println();
    out.println("  Dashboard:    " + url);
    out.println("  Admin token:  " + token.secret());
    out.println();
    out.println(
        "The token is shown only now, and the next 'bridle demo' revokes it"
            + (revoked > 0 ? " (as this one revoked " + revoked + " of an earlier demo)" : "")
            + ".");
    out.println(
        "Open the dashboard, paste the token, open the inbox and approve the pending item. From a"
            + " shell:");
    out.println(
        "  curl -H 'Authorization: Bearer " + token.secret() + "' " + url + "api/v1/approvals");
    out.println(
        "  ./bridle approvals list --db "
            + shownDb()
            + "      # the same inbox from the command line");
    out.println(
        "Submitted "
            + submitted
            + " sample run(s) as "
            + SAMPLE_USER
            + "; they run now. Stop the demo with Ctrl-C.");
    out.flush();
  }

  /** The store URL as it may be printed: a SQLite path as is, any other URL without secrets. */
  private String shownDb() {
    return db.strip().toLowerCase(Locale.ROOT).matches("(jdbc:)?sqlite:.*") ? db : "URL";
  }

  /** Says how the sample runs ended up once none is queued or running (or after two minutes). */
  private static void reportWhenSettled(RunStore store, List<RunId> samples, PrintWriter out) {
    Instant until = Instant.now().plus(Duration.ofMinutes(2));
    Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
    try {
      while (true) {
        counts.clear();
        for (RunId runId : samples) {
          RunStatus status = store.find(runId).map(RunSummary::status).orElse(RunStatus.QUEUED);
          counts.merge(status, 1, Integer::sum);
        }
        boolean busy =
            counts.containsKey(RunStatus.QUEUED) || counts.containsKey(RunStatus.RUNNING);
        if (!busy || Instant.now().isAfter(until)) {
          break;
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      return;
    } catch (RuntimeException e) {
      out.println("bridle demo: could not read the sample runs: " + e.getMessage());
      out.flush();
      return;
    }
    String summary =
        counts.entrySet().stream()
            .map(entry -> entry.getValue() + " " + describe(entry.getKey()))
            .collect(Collectors.joining(", "));
    out.println("Sample runs: " + summary + ".");
    if (counts.containsKey(RunStatus.SUSPENDED)) {
      out.println("The waiting ones are in the inbox: approve, edit or reject them there.");
    }
    out.flush();
  }

  private static String describe(RunStatus status) {
    return switch (status) {
      case QUEUED -> "still queued";
      case RUNNING -> "still running";
      case SUSPENDED -> "waiting for approval";
      case KILLED -> "parked by a kill switch";
      case COMPLETED -> "completed";
      case FAILED -> "failed";
      case CANCELLED -> "cancelled";
    };
  }

  private static int revokeEarlierDemoTokens(TokenStore tokens) {
    int revoked = 0;
    for (ApiToken token : tokens.list()) {
      if (token.principal().equals(PRINCIPAL) && !token.revoked() && tokens.revoke(token.id())) {
        revoked++;
      }
    }
    return revoked;
  }

  /** The example in {@code file}, with its model and sample tasks; a BridleException if unfit. */
  private Example load(Path file) {
    WorkflowDefinition workflow = Workflows.load(file);
    // its tools must be on the class path (an example whose jar is not in the CLI is skipped)
    Workflows.tools(workflow, DemoCommand.class.getClassLoader());
    ChatModel model;
    String label;
    Optional<String> missingKey = missingKey(workflow.model());
    if (explicitModel() || missingKey.isEmpty()) {
      model = models.choose(workflow, file);
      label = model.id();
    } else if (!workflow.script().isEmpty()) {
      model = ScriptedChatModel.of(workflow.name(), workflow.script());
      label =
          KEY_VARIABLES.containsValue(missingKey.get()) || workflow.model().apiKeyEnv().isPresent()
              ? "scripted, no " + missingKey.get()
              : "scripted";
    } else {
      throw new ConfigurationException(
          "its model needs "
              + missingKey.get()
              + ", which is not set, and it has no 'script:' section to play instead");
    }
    boolean scripted = model instanceof ScriptedChatModel;
    return new Example(
        new ServeCommand.ServedWorkflow(workflow, file, model),
        label,
        tasks(file.getParent(), workflow.name(), scripted));
  }

  private boolean explicitModel() {
    return models.model != null || models.modelUrl != null || models.apiKeyEnv != null;
  }

  /**
   * The API key variable {@code spec} needs and the environment lacks; empty when the key is there
   * (the workflow runs on its model). A provider without keys (ollama, scripted) counts as lacking
   * one: the demo does not expect a local model server.
   */
  private static Optional<String> missingKey(ModelSpec spec) {
    Optional<String> variable =
        spec.apiKeyEnv().or(() -> Optional.ofNullable(KEY_VARIABLES.get(spec.provider())));
    if (variable.isEmpty()) {
      return Optional.of("an API key");
    }
    String value = System.getenv(variable.get());
    return value == null || value.isBlank() ? variable : Optional.empty();
  }

  /**
   * The sample tasks: the lines of {@code demo-tasks.txt} next to the workflow file when it has
   * one, else the built-in samples for the bundled examples (more of them with a real model).
   */
  private static List<String> tasks(Path directory, String workflow, boolean scripted) {
    Path file = directory == null ? Path.of(TASKS_FILE) : directory.resolve(TASKS_FILE);
    if (Files.isRegularFile(file)) {
      try (Stream<String> lines = Files.lines(file)) {
        return lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + file, e);
      }
    }
    List<String> tasks = new ArrayList<>(SCRIPTED_SAMPLES.getOrDefault(workflow, List.of()));
    if (!scripted) {
      tasks.addAll(MODEL_SAMPLES.getOrDefault(workflow, List.of()));
    }
    return tasks;
  }

  private Path examplesDirectory() {
    if (examples != null) {
      if (!Files.isDirectory(examples)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--examples: " + examples + " is not a directory");
      }
      return examples;
    }
    Path here = Path.of("examples");
    if (!workflowFiles(here).isEmpty()) {
      return here;
    }
    Optional<Path> besideJar = checkoutOfThisJar().map(root -> root.resolve("examples"));
    if (besideJar.isPresent() && !workflowFiles(besideJar.get()).isEmpty()) {
      return besideJar.get();
    }
    throw new ConfigurationException(
        "no examples/*/workflow.yaml in "
            + Path.of("").toAbsolutePath()
            + besideJar.map(p -> " nor in " + p).orElse("")
            + "; run the demo from the repository root, or name the directory with --examples DIR");
  }

  /** The checkout the CLI was built in: three levels above bridle-cli/target/bridle.jar. */
  private static Optional<Path> checkoutOfThisJar() {
    try {
      var source = DemoCommand.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Optional.empty();
      }
      Path location = Path.of(source.getLocation().toURI());
      // bridle-cli/target/bridle.jar, or bridle-cli/target/classes when run from the build
      Path target = location.getParent();
      Path module = target == null ? null : target.getParent();
      return Optional.ofNullable(module == null ? null : module.getParent());
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** {@code DIR/*}{@code /workflow.yaml}, sorted by path; empty when DIR is not a directory. */
  private static List<Path> workflowFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      return children
          .map(child -> child.resolve("workflow.yaml"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + directory, e);
    }
  }
}
