package dev.bridle.benchmarks.guards;

import dev.bridle.core.guard.GuardResult;
import dev.bridle.core.guard.GuardSubject;
import dev.bridle.core.guard.PiiRedactionGuard;
import dev.bridle.core.guard.Redactor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast text goes through PII redaction, in MB/s: one operation is one byte of a {@link
 * SampleTexts} sample ({@value SampleTexts#SIZE} ASCII bytes per call), and the score is in
 * operations per microsecond, so it reads directly as MB/s (10^6 bytes per second).
 *
 * <ul>
 *   <li>{@code guard}: {@link PiiRedactionGuard} with its defaults (every type but URL, action
 *       redact) on a tool result, as the run loop calls it: detection, the allow list, and the
 *       redacted copy when something was found;
 *   <li>{@code redactor}: {@link Redactor#redact(String)}, what logs, traces and exception messages
 *       go through, with its one-pass pre-check that skips the recognizers a text cannot match.
 * </ul>
 *
 * <p>Run: {@code benchmarks/guards.sh} (both guard benchmarks) or {@code java -jar
 * benchmarks/target/benchmarks.jar PiiRedactionThroughput}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PiiRedactionThroughputBenchmark {

  /** Which sample: {@code prose}, {@code pii} or {@code logs} (see {@link SampleTexts}). */
  @Param({"prose", "pii", "logs"})
  public String text;

  private String sample;
  private GuardSubject subject;
  private PiiRedactionGuard guard;

  /** Builds the sample and checks that it is what its name says before anything is measured. */
  @Setup(Level.Trial)
  public void prepare() {
    sample = SampleTexts.of(text);
    guard = PiiRedactionGuard.builder().build();
    subject = GuardSubject.toolResult("bench", "fetch_ticket", sample, true);
    GuardResult result = guard.check(subject);
    boolean found = result instanceof GuardResult.Redact;
    if (sample.length() != SampleTexts.SIZE || found != !text.equals("prose")) {
      throw new IllegalStateException(
          "sample '" + text + "' is not what the benchmark expects: " + describe(result));
    }
    System.out.println("\n[" + text + "] " + describe(result));
  }

  /** The guard, as the run loop calls it on a tool result. */
  @Benchmark
  @OperationsPerInvocation(SampleTexts.SIZE)
  public GuardResult guard() {
    return guard.check(subject);
  }

  /** The always-on redaction of logs, traces and exception messages. */
  @Benchmark
  @OperationsPerInvocation(SampleTexts.SIZE)
  public String redactor() {
    return Redactor.redact(sample);
  }

  private static String describe(GuardResult result) {
    return switch (result) {
      case GuardResult.Redact redact -> redact.findings();
      case GuardResult.Pass pass -> "nothing found";
      default -> result.toString();
    };
  }
}
