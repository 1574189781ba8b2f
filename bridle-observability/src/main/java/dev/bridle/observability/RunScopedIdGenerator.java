package dev.bridle.observability;

import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An {@link IdGenerator} that hands out ids chosen by the caller for the span started inside {@link
 * #withIds}, and random ids otherwise. Bridle starts a run's {@code invoke_agent} spans inside it
 * so that their trace and span ids are derived from the run id: one trace per run, however many
 * nodes and resumptions it takes.
 *
 * <p>Install it on the tracer provider that Bridle's spans go to ({@link Observability} does); with
 * any other generator, the first segment of each run gets a random trace id and the later segments
 * land in a trace whose root is missing.
 */
public final class RunScopedIdGenerator implements IdGenerator {

  private record Pending(String traceId, String spanId) {}

  private static final ThreadLocal<Pending> NEXT = new ThreadLocal<>();

  private final IdGenerator random = IdGenerator.random();

  @Override
  public String generateSpanId() {
    Pending pending = NEXT.get();
    return pending == null ? random.generateSpanId() : pending.spanId();
  }

  @Override
  public String generateTraceId() {
    Pending pending = NEXT.get();
    return pending == null ? random.generateTraceId() : pending.traceId();
  }

  /**
   * Runs {@code start}, which must start exactly one span, so that the span gets {@code spanId}
   * and, when it has no parent, {@code traceId}.
   */
  <T> T withIds(String traceId, String spanId, Supplier<T> start) {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    NEXT.set(new Pending(traceId, spanId));
    try {
      return start.get();
    } finally {
      NEXT.remove();
    }
  }
}
