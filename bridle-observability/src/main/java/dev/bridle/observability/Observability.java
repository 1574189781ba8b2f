package dev.bridle.observability;

import dev.bridle.core.journal.RunStore;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Spans, metrics and their configuration for one process: the entry point of this module.
 *
 * <ul>
 *   <li>Spans follow the OpenTelemetry GenAI semantic conventions ({@code invoke_agent {workflow}},
 *       {@code chat {model}}, {@code execute_tool {tool}}) plus {@code bridle.*} attributes, one
 *       trace per run across suspensions, resumptions and nodes. Exported over OTLP as the standard
 *       {@code OTEL_*} variables say; not at all when no OTLP endpoint is set.
 *   <li>Metrics go to a Micrometer {@link PrometheusMeterRegistry}; {@link #scrape()} is the text a
 *       {@code /metrics} endpoint serves.
 *   <li>Message content is on spans only with {@link ContentCapture} on, and always redacted.
 * </ul>
 *
 * <pre>{@code
 * Observability observability = Observability.builder()
 *     .controlPlane(ControlPlaneState.builder().approvals(approvals).killSwitch(kills).build())
 *     .build();
 * RunStore store = observability.observe(RunStores.open(url));
 * }</pre>
 */
public final class Observability implements AutoCloseable {

  /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
  public static final String SCRAPE_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** The GenAI semantic conventions version the spans follow. */
  public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0";

  private static final String SCOPE = "dev.bridle.observability";

  private final OpenTelemetrySdk sdk;
  private final PrometheusMeterRegistry registry;
  private final ContentCapture capture;
  private final RunMeters meters;
  private final RunObserver observer;
  private final Optional<JvmGcMetrics> gcMetrics;

  private Observability(Builder builder, OpenTelemetrySdk sdk, RunScopedIdGenerator ids) {
    this.sdk = sdk;
    this.registry = builder.registry;
    this.capture = builder.capture;
    Tracer tracer = sdk.getTracerProvider().tracerBuilder(SCOPE).setSchemaUrl(SCHEMA_URL).build();
    this.meters = new RunMeters(registry, builder.controlPlane);
    this.observer = new RunObserver(new SpanWriter(tracer, ids, capture), meters, registry);
    if (builder.jvmMetrics) {
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      JvmGcMetrics gc = new JvmGcMetrics();
      gc.bindTo(registry);
      this.gcMetrics = Optional.of(gc);
    } else {
      this.gcMetrics = Optional.empty();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code store}, with every append also turned into spans and metrics. */
  public ObservedRunStore observe(RunStore store) {
    return new ObservedRunStore(store, this);
  }

  /** The Prometheus text of every meter, for a {@code /metrics} endpoint. */
  public String scrape() {
    meters.refreshGauges();
    return registry.scrape();
  }

  /** The registry the meters are in; add it to a composite registry to publish elsewhere too. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  /** The SDK the spans go through. */
  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  public ContentCapture contentCapture() {
    return capture;
  }

  /** Exports the spans written so far; waits at most {@code seconds}. */
  public boolean flush(long seconds) {
    return sdk.getSdkTracerProvider().forceFlush().join(seconds, TimeUnit.SECONDS).isSuccess();
  }

  RunObserver observer() {
    return observer;
  }

  /** Exports what is left and releases the exporters. */
  @Override
  public void close() {
    sdk.shutdown().join(10, TimeUnit.SECONDS);
    gcMetrics.ifPresent(JvmGcMetrics::close);
    registry.close();
  }

  /** Configures an {@link Observability}; every setting has a default. */
  public static final class Builder {
    private Optional<SpanExporter> exporter = Optional.empty();
    private ContentCapture capture;
    private ControlPlaneState controlPlane = ControlPlaneState.NONE;
    private PrometheusMeterRegistry registry;
    private String serviceName = "bridle";
    private boolean jvmMetrics = true;

    private Builder() {}

    /** Whether the registry also has the JVM's memory, GC, thread and CPU meters (default yes). */
    public Builder jvmMetrics(boolean jvmMetrics) {
      this.jvmMetrics = jvmMetrics;
      return this;
    }

    /**
     * Sends spans to {@code exporter} as each one ends, instead of configuring the SDK from the
     * {@code OTEL_*} variables: for tests (an in-memory exporter) and for embedding applications
     * that bring their own exporter.
     */
    public Builder spanExporter(SpanExporter exporter) {
      this.exporter = Optional.of(Objects.requireNonNull(exporter, "exporter"));
      return this;
    }

    /** Whether spans carry redacted content; default: as {@link ContentCapture#fromEnvironment}. */
    public Builder contentCapture(ContentCapture capture) {
      this.capture = Objects.requireNonNull(capture, "capture");
      return this;
    }

    /** What the pending-approval, kill-switch and circuit-breaker gauges read. */
    public Builder controlPlane(ControlPlaneState controlPlane) {
      this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
      return this;
    }

    /** The registry to put the meters in; default: a new one. */
    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The {@code service.name} of the spans when {@link #spanExporter} is used; with the {@code
     * OTEL_*} variables, {@code OTEL_SERVICE_NAME} says it (default {@code bridle}).
     */
    public Builder serviceName(String serviceName) {
      Objects.requireNonNull(serviceName, "serviceName");
      if (serviceName.isBlank()) {
        throw new IllegalArgumentException("service-name must not be blank");
      }
      this.serviceName = serviceName;
      return this;
    }

    public Observability build() {
      if (capture == null) {
        capture = ContentCapture.fromEnvironment();
      }
      if (registry == null) {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      }
      limitCardinality(registry);
      RunScopedIdGenerator ids = new RunScopedIdGenerator();
      OpenTelemetrySdk sdk =
          exporter.isPresent() ? explicit(exporter.get(), ids) : autoConfigured(ids);
      return new Observability(this, sdk, ids);
    }

    private OpenTelemetrySdk explicit(SpanExporter spanExporter, RunScopedIdGenerator ids) {
      Resource resource =
          Resource.getDefault()
              .merge(
                  Resource.create(
                      Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
      SdkTracerProvider tracerProvider =
          SdkTracerProvider.builder()
              .setIdGenerator(ids)
              .setResource(resource)
              .addSpanProcessor(SimpleSpanProcessor.create(spanExporter))
              .build();
      return OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    }

    private static OpenTelemetrySdk autoConfigured(RunScopedIdGenerator ids) {
      Map<String, String> defaults = OtelDefaults.defaults(System.getenv(), systemProperties());
      return AutoConfiguredOpenTelemetrySdk.builder()
          .addPropertiesSupplier(() -> defaults)
          .addTracerProviderCustomizer(
              (tracerProvider, config) -> tracerProvider.setIdGenerator(ids))
          .build()
          .getOpenTelemetrySdk();
    }

    private static Properties systemProperties() {
      Properties copy = new Properties();
      copy.putAll(System.getProperties());
      return copy;
    }

    /** Caps the distinct values of the tags that come from configuration, per meter. */
    private static void limitCardinality(PrometheusMeterRegistry registry) {
      for (String prefix : new String[] {"bridle.", "gen_ai."}) {
        for (Map.Entry<String, Integer> tag :
            Map.of(
                    "workflow", 200,
                    "bridle.workflow", 200,
                    "tool", 500,
                    "guard", 200,
                    "model", 100,
                    "gen_ai.request.model", 100,
                    "gen_ai.response.model", 100,
                    "provider", 50)
                .entrySet()) {
          registry
              .config()
              .meterFilter(
                  MeterFilter.maximumAllowableTags(
                      prefix, tag.getKey(), tag.getValue(), MeterFilter.deny()));
        }
      }
    }
  }
}
