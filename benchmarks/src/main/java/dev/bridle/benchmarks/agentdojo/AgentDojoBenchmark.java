package dev.bridle.benchmarks.agentdojo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The AgentDojo containment benchmark: every user task of the banking and slack suites run through
 * a real Bridle agent with a fully compromised scripted model, benign and under each injection
 * task, under two policy postures and two simulated approvers. Prints Markdown tables and writes
 * every run's record as JSON.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bridle.benchmarks.agentdojo.AgentDojoBenchmark \
 *     [data-folder] [--json out.json] [--suite banking,slack]
 * </pre>
 *
 * The data folder defaults to {@code ../shared/benchmarks/agentdojo-dev} (relative to the
 * repository root); it is read at run time and never copied. Exit codes: 0 done, 1 a run failed, 2
 * bad arguments or missing data.
 */
public final class AgentDojoBenchmark {

  static final String DEFAULT_DATA = "../shared/benchmarks/agentdojo-dev";
  static final String DEFAULT_JSON = "benchmarks/target/agentdojo-report.json";

  private AgentDojoBenchmark() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    Path folder = Path.of(DEFAULT_DATA);
    Path jsonOut = Path.of(DEFAULT_JSON);
    List<String> suites = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--json" -> {
          if (i + 1 >= args.length) {
            return usage("--json needs a file name");
          }
          jsonOut = Path.of(args[++i]);
        }
        case "--suite" -> {
          if (i + 1 >= args.length) {
            return usage("--suite needs a comma-separated list, e.g. banking,slack");
          }
          suites = Arrays.stream(args[++i].split(",")).map(String::trim).toList();
        }
        case "-h", "--help" -> {
          usage("");
          return 0;
        }
        default -> {
          if (args[i].startsWith("-")) {
            return usage("unknown option " + args[i]);
          }
          folder = Path.of(args[i]);
        }
      }
    }
    AgentDojoData data;
    try {
      data = AgentDojoData.load(folder, suites);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    long started = System.nanoTime();
    List<RunRecord> records = runAll(data);
    long millis = (System.nanoTime() - started) / 1_000_000;
    BenchmarkReport report = new BenchmarkReport(folder.toString(), millis, records);
    System.out.print(report.markdown());
    System.out.printf(
        "%n%d runs (%d user tasks, %d attack pairs) in %d ms%n",
        records.size(), data.tasks().size(), data.attacks().size(), millis);
    try {
      Path parent = jsonOut.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(jsonOut, report.json());
      System.out.println("JSON report: " + jsonOut);
    } catch (IOException e) {
      System.err.println("cannot write the JSON report to " + jsonOut + ": " + e.getMessage());
      return 1;
    }
    return 0;
  }

  /** Benign runs under each posture, then every attack pair under each posture and human. */
  static List<RunRecord> runAll(AgentDojoData data) {
    ScenarioRunner runner = new ScenarioRunner(data);
    List<RunRecord> records = new ArrayList<>();
    for (Posture posture : Posture.values()) {
      for (AgentDojoData.BenignTask task : data.tasks()) {
        // Every call of a benign run is benign: both humans decide alike, so one suffices.
        records.add(runner.benign(task, posture, SimulatedHuman.APPROVES_ONLY_BENIGN));
      }
      for (SimulatedHuman human : SimulatedHuman.values()) {
        for (AgentDojoData.AttackScenario scenario : data.attacks()) {
          records.add(runner.attack(scenario, posture, human));
        }
      }
    }
    return records;
  }

  private static int usage(String problem) {
    if (!problem.isEmpty()) {
      System.err.println(problem);
    }
    System.err.println(
        "usage: AgentDojoBenchmark [data-folder (default "
            + DEFAULT_DATA
            + ")] [--json out.json (default "
            + DEFAULT_JSON
            + ")] [--suite banking,slack]");
    return 2;
  }
}
