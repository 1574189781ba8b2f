package dev.bridle.observability;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.guard.Redactor;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Whether spans carry message content: the task and instructions, the model's answers, tool
 * arguments and results. Off by default. When on, every piece of content is passed through {@link
 * Redactor} (secrets and personal data become {@code [REDACTED:TYPE]}) and cut to {@code maxChars}
 * characters; there is no setting that exports content unredacted.
 *
 * <p>Configured by the system property {@value #PROPERTY} or the environment variable {@value #ENV}
 * ({@code true} or {@code false}), and {@value #MAX_PROPERTY} / {@value #MAX_ENV} for the limit.
 *
 * @param enabled whether content is put on spans
 * @param maxChars the most characters of one piece of content, after redaction
 */
public record ContentCapture(boolean enabled, int maxChars) {

  public static final String PROPERTY = "bridle.otel.capture-content";
  public static final String ENV = "BRIDLE_OTEL_CAPTURE_CONTENT";
  public static final String MAX_PROPERTY = "bridle.otel.content-max-chars";
  public static final String MAX_ENV = "BRIDLE_OTEL_CONTENT_MAX_CHARS";
  public static final int DEFAULT_MAX_CHARS = 4096;

  /** No content on spans: the default. */
  public static final ContentCapture OFF = new ContentCapture(false, DEFAULT_MAX_CHARS);

  /** Redacted content, at most {@value #DEFAULT_MAX_CHARS} characters a piece. */
  public static final ContentCapture REDACTED = new ContentCapture(true, DEFAULT_MAX_CHARS);

  public ContentCapture {
    if (maxChars < 16 || maxChars > 1_000_000) {
      throw new ConfigurationException(
          "content max-chars must be between 16 and 1000000, but was " + maxChars);
    }
  }

  /** As the process's system properties and environment say; properties win. */
  public static ContentCapture fromEnvironment() {
    return fromEnvironment(System.getenv(), System.getProperties());
  }

  /**
   * As {@code properties} and {@code env} say; properties win.
   *
   * @throws ConfigurationException naming the setting and the value when it is not valid
   */
  public static ContentCapture fromEnvironment(Map<String, String> env, Properties properties) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(properties, "properties");
    boolean enabled = flag(PROPERTY, properties.getProperty(PROPERTY), ENV, env.get(ENV));
    int maxChars = number(properties.getProperty(MAX_PROPERTY), MAX_PROPERTY, env.get(MAX_ENV));
    return new ContentCapture(enabled, maxChars);
  }

  /** {@code text} redacted and cut to {@link #maxChars()}. */
  String redact(String text) {
    return Redactor.redact(text, maxChars);
  }

  private static boolean flag(String property, String propertyValue, String env, String envValue) {
    String name = propertyValue != null ? property : env;
    String value = propertyValue != null ? propertyValue : envValue;
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ConfigurationException(
              name + " must be 'true' or 'false', but was '" + value + "'");
    };
  }

  private static int number(String propertyValue, String property, String envValue) {
    String name = propertyValue != null ? property : MAX_ENV;
    String value = propertyValue != null ? propertyValue : envValue;
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_CHARS;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          name + " must be a whole number of characters, but was '" + value + "'");
    }
  }
}
