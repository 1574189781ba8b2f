package dev.bridle.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Bridle's defaults for the OpenTelemetry SDK's autoconfiguration. Every {@code OTEL_*} variable
 * and {@code otel.*} system property overrides them. Without an OTLP endpoint, spans are not
 * exported at all, so that a local run never tries to reach a collector that is not there; metrics
 * and logs go through Micrometer and Logback, not through the SDK.
 */
final class OtelDefaults {

  private OtelDefaults() {}

  static Map<String, String> defaults(Map<String, String> env, Properties properties) {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("otel.service.name", "bridle");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    if (!endpointConfigured(env, properties)) {
      defaults.put("otel.traces.exporter", "none");
    }
    return defaults;
  }

  static boolean endpointConfigured(Map<String, String> env, Properties properties) {
    return present(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
        || present(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        || present(properties.getProperty("otel.exporter.otlp.endpoint"))
        || present(properties.getProperty("otel.exporter.otlp.traces.endpoint"));
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
