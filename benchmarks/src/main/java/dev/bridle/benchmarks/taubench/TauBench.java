package dev.bridle.benchmarks.taubench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The τ-bench retail approval benchmark: every task of the retail dev and train splits, played by a
 * scripted model through a real Bridle agent whose policy asks a human before every change, once
 * with every change approved and once with every change rejected. Prints a Markdown summary and
 * every run that broke a property.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.bridle.benchmarks.taubench.TauBench \
 *     [data-folder] [--split dev,train]
 * </pre>
 *
 * The data folder is the first argument, else the system property {@code taubench.data}, else
 * {@code ../shared/benchmarks/taubench-dev} (relative to the repository root); it is read at run
 * time and never copied. Exit codes: 0 every property held in every run, 1 some run broke one
 * (listed), 2 bad arguments or missing data.
 */
public final class TauBench {

  static final String DEFAULT_DATA = "../shared/benchmarks/taubench-dev";
  static final String DATA_PROPERTY = "taubench.data";

  private TauBench() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String property = System.getProperty(DATA_PROPERTY);
    Path folder = Path.of(property == null || property.isBlank() ? DEFAULT_DATA : property);
    List<String> splits = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--split" -> {
          if (i + 1 >= args.length) {
            return usage("--split needs a comma-separated list, e.g. dev,train");
          }
          splits = Arrays.stream(args[++i].split(",")).map(String::trim).toList();
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
    RetailData data;
    try {
      data = RetailData.load(folder, splits);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    List<SplitReport> reports = runAll(data);
    System.out.print(markdown(folder, reports));
    return reports.stream().allMatch(r -> r.failures().isEmpty()) ? 0 : 1;
  }

  /** Every task of every loaded split, approve-all then deny-all. */
  static List<SplitReport> runAll(RetailData data) {
    TaskRunner runner = new TaskRunner(data);
    List<SplitReport> reports = new ArrayList<>();
    data.splits()
        .forEach(
            (split, tasks) -> {
              long started = System.nanoTime();
              List<TaskResult> approved = new ArrayList<>();
              List<TaskResult> denied = new ArrayList<>();
              for (RetailTask task : tasks) {
                approved.add(runner.run(task, SimulatedHuman.APPROVES_ALL));
                denied.add(runner.run(task, SimulatedHuman.DENIES_ALL));
              }
              long millis = (System.nanoTime() - started) / 1_000_000;
              reports.add(new SplitReport(split, approved, denied, millis));
            });
    return reports;
  }

  static String markdown(Path folder, List<SplitReport> reports) {
    StringBuilder out = new StringBuilder();
    out.append("τ-bench retail, data from ").append(folder).append("\n\n");
    out.append(
        "| split | tasks | write calls | refused upstream | refused before approval (approve-all"
            + " / deny-all) | read calls |"
            + " approvals (approve-all) | approvals (deny-all) | runs with one approval per"
            + " accepted write, none per refused write or read | approve-all: records exact |"
            + " approve-all: outputs exact | deny-all: store unchanged | ms |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (SplitReport r : reports) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d / %d | %d | %d | %d | %d / %d | %d / %d | %d / %d | %d / %d"
                  + " | %d |%n",
              r.split(),
              r.tasks(),
              r.writes(),
              r.refusedSteps(),
              r.refusedWrites(SimulatedHuman.APPROVES_ALL),
              r.refusedWrites(SimulatedHuman.DENIES_ALL),
              r.reads(),
              r.approvals(SimulatedHuman.APPROVES_ALL),
              r.approvals(SimulatedHuman.DENIES_ALL),
              r.oneApprovalPerWrite(),
              2 * r.tasks(),
              r.count(SimulatedHuman.APPROVES_ALL, TaskResult::recordsMatch),
              r.tasks(),
              r.count(SimulatedHuman.APPROVES_ALL, TaskResult::outputsMatch),
              r.tasks(),
              r.count(SimulatedHuman.DENIES_ALL, TaskResult::recordsMatch),
              r.tasks(),
              r.millis()));
    }
    int runs = reports.stream().mapToInt(r -> 2 * r.tasks()).sum();
    long millis = reports.stream().mapToLong(SplitReport::millis).sum();
    out.append(
        String.format(
            Locale.ROOT,
            "%n%d runs (each task approve-all and deny-all) in %d ms, %.2f ms per run%n",
            runs,
            millis,
            runs == 0 ? 0.0 : (double) millis / runs));
    List<TaskResult> failures = reports.stream().flatMap(r -> r.failures().stream()).toList();
    out.append('\n');
    if (failures.isEmpty()) {
      out.append("Every property held in every run.\n");
    } else {
      out.append(failures.size()).append(" runs broke a property:\n");
      for (TaskResult failure : failures) {
        out.append("- ")
            .append(failure.task().id())
            .append(' ')
            .append(failure.human().label())
            .append(": ")
            .append(String.join("; ", failure.problems()))
            .append('\n');
      }
    }
    return out.toString();
  }

  private static int usage(String problem) {
    if (!problem.isEmpty()) {
      System.err.println(problem);
    }
    System.err.println(
        "usage: TauBench [data-folder (default -D"
            + DATA_PROPERTY
            + ", else "
            + DEFAULT_DATA
            + ")] [--split dev,train]");
    return 2;
  }
}
