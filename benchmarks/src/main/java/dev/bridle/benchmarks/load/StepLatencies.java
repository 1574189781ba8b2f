package dev.bridle.benchmarks.load;

import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-step timings read back from the runs' journals. A step is one model call plus what the loop
 * does with its answer; step k spans from the previous step's {@code ModelResponded.at} (for the
 * first step, {@code RunStarted.at}) to its own {@code ModelResponded.at}. So a step's gap holds:
 * the journal commits and the tool call of the previous answer, the loop's own work, and model call
 * k, whose duration the loop records as {@code latencyMillis}. Three samples per step, in
 * microseconds:
 *
 * <ul>
 *   <li>{@code added}: gap minus the fake model's configured latency: everything that is not the
 *       model thinking (HTTP to the model and back, JSON, journal commits, the tool, the loop);
 *   <li>{@code outsideModelCall}: gap minus {@code latencyMillis}: Bridle's own share (commits,
 *       tool, loop), without the HTTP round trip to the model;
 *   <li>{@code modelCallOverhead}: {@code latencyMillis} minus the configured latency: the HTTP
 *       client, the fake server and the OpenAI adapter under this load.
 * </ul>
 *
 * <p>Also per run: the queue wait ({@code RunSubmitted.at} to {@code RunStarted.at}) and the tail
 * (last {@code ModelResponded.at} to {@code RunCompleted.at}).
 */
final class StepLatencies {

  final List<Long> added = new ArrayList<>();
  final List<Long> outsideModelCall = new ArrayList<>();
  final List<Long> modelCallOverhead = new ArrayList<>();
  final List<Long> queueWait = new ArrayList<>();
  final List<Long> tail = new ArrayList<>();
  Instant firstSubmitted;
  Instant lastEnded;

  /** Adds one run's journal. */
  void add(List<JournalEntry> entries, long modelLatencyMillis) {
    Instant submitted = null;
    Instant previous = null;
    for (JournalEntry entry : entries) {
      switch (entry.event()) {
        case RunEvent.RunSubmitted s -> {
          submitted = s.at();
          if (firstSubmitted == null || s.at().isBefore(firstSubmitted)) {
            firstSubmitted = s.at();
          }
        }
        case RunEvent.RunStarted s -> {
          if (submitted != null) {
            queueWait.add(micros(submitted, s.at()));
          }
          previous = s.at();
        }
        case RunEvent.ModelResponded m -> {
          if (previous == null) {
            continue;
          }
          long gap = micros(previous, m.at());
          added.add(gap - modelLatencyMillis * 1000);
          outsideModelCall.add(gap - m.latencyMillis() * 1000);
          modelCallOverhead.add((m.latencyMillis() - modelLatencyMillis) * 1000);
          previous = m.at();
        }
        case RunEvent.RunCompleted c -> {
          if (previous != null) {
            tail.add(micros(previous, c.at()));
          }
          end(c.at());
        }
        case RunEvent.RunFailed f -> end(f.at());
        default -> {}
      }
    }
  }

  private void end(Instant at) {
    if (lastEnded == null || at.isAfter(lastEnded)) {
      lastEnded = at;
    }
  }

  private static long micros(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1000;
  }

  /** The p-th percentile (nearest rank) in milliseconds with one decimal, or "n/a". */
  static String pctMs(List<Long> micros, double p) {
    if (micros.isEmpty()) {
      return "n/a";
    }
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    long value = sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank)));
    return String.format("%.1f", value / 1000.0);
  }

  static String meanMs(List<Long> micros) {
    return micros.isEmpty()
        ? "n/a"
        : String.format(
            "%.1f", micros.stream().mapToLong(Long::longValue).average().orElse(0) / 1000.0);
  }
}
