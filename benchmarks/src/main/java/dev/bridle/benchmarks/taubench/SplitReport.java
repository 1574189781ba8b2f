package dev.bridle.benchmarks.taubench;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The runs of one split: each task once with every change approved and once with every change
 * rejected, and how long they took.
 *
 * @param millis wall-clock time of all the split's runs
 */
record SplitReport(
    String split, List<TaskResult> approveAll, List<TaskResult> denyAll, long millis) {

  SplitReport {
    approveAll = List.copyOf(approveAll);
    denyAll = List.copyOf(denyAll);
    if (approveAll.size() != denyAll.size()) {
      throw new IllegalArgumentException(
          "split "
              + split
              + ": every task runs once per human, but there are "
              + approveAll.size()
              + " approve-all and "
              + denyAll.size()
              + " deny-all runs");
    }
  }

  int tasks() {
    return approveAll.size();
  }

  /** Calls that change the store, per run (the same in both runs of a task). */
  long writes() {
    return approveAll.stream().mapToLong(TaskResult::writes).sum();
  }

  long reads() {
    return approveAll.stream().mapToLong(TaskResult::reads).sum();
  }

  /** Ground-truth steps upstream's tools refused ({@code Error: ...}). */
  long refusedSteps() {
    return approveAll.stream()
        .mapToLong(
            r -> IntStream.range(0, r.task().actions().size()).filter(r.task()::refused).count())
        .sum();
  }

  /**
   * Write calls their precondition refused before anyone was asked. It can differ between the
   * humans: a write that needs an earlier, rejected one to have happened is refused in deny-all.
   */
  long refusedWrites(SimulatedHuman human) {
    return runs(human).stream().mapToLong(TaskResult::refusedWrites).sum();
  }

  long approvals(SimulatedHuman human) {
    return runs(human).stream().mapToLong(TaskResult::approvals).sum();
  }

  List<TaskResult> runs(SimulatedHuman human) {
    return switch (human) {
      case APPROVES_ALL -> approveAll;
      case DENIES_ALL -> denyAll;
    };
  }

  long count(SimulatedHuman human, Predicate<TaskResult> property) {
    return runs(human).stream().filter(property).count();
  }

  /**
   * Runs of both humans where every write whose precondition held asked once, and every refused
   * write and every read never.
   */
  long oneApprovalPerWrite() {
    return count(SimulatedHuman.APPROVES_ALL, TaskResult::oneApprovalPerWrite)
        + count(SimulatedHuman.DENIES_ALL, TaskResult::oneApprovalPerWrite);
  }

  List<TaskResult> failures() {
    return Stream.concat(approveAll.stream(), denyAll.stream()).filter(r -> !r.ok()).toList();
  }
}
