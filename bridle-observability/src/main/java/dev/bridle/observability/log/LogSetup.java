package dev.bridle.observability.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.bridle.core.ConfigurationException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures Logback for Bridle's processes without a {@code logback.xml}: every line to standard
 * error, as JSON ({@link RedactingJsonEncoder}) or as text ({@link RedactingTextLayout}), always
 * redacted. The CLI calls {@link #configureFromEnvironment()} first thing; {@value #FORMAT_ENV}
 * ({@code json} or {@code text}) and {@value #LEVEL_ENV} ({@code error} ... {@code trace}) choose.
 *
 * <p>An application that has its own {@code logback.xml} does not call this; it can use {@code
 * bridle-logback-json.xml} from this jar ({@code
 * -Dlogback.configurationFile=bridle-logback-json.xml}) or reference the encoder in its own file.
 */
public final class LogSetup {

  public static final String FORMAT_ENV = "BRIDLE_LOG_FORMAT";
  public static final String LEVEL_ENV = "BRIDLE_LOG_LEVEL";

  /** How lines look. */
  public enum Format {
    /** One JSON object per line, for log shippers. */
    JSON,
    /** One readable line per event. */
    TEXT
  }

  private LogSetup() {}

  /**
   * As {@value #FORMAT_ENV} and {@value #LEVEL_ENV} say; text at {@code defaultLevel} when they are
   * not set.
   *
   * @throws ConfigurationException naming the variable and the value when one is not valid
   */
  public static void configureFromEnvironment(Level defaultLevel) {
    configureFromEnvironment(System.getenv(), defaultLevel);
  }

  /** {@link #configureFromEnvironment(Level)} at {@code INFO}. */
  public static void configureFromEnvironment() {
    configureFromEnvironment(Level.INFO);
  }

  static void configureFromEnvironment(Map<String, String> env, Level defaultLevel) {
    configure(format(env.get(FORMAT_ENV)), level(env.get(LEVEL_ENV), defaultLevel));
  }

  /**
   * Replaces the configuration of the process's Logback context, and routes {@code
   * java.util.logging} (which bridle-core, the JDK and the OpenTelemetry SDK log to) through it, so
   * that their lines are redacted and formatted the same way.
   */
  public static void configure(Format format, Level level) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      throw new ConfigurationException(
          "logging is bound to "
              + factory.getClass().getName()
              + ", not Logback; remove the other SLF4J binding from the classpath");
    }
    configure(context, format, level, System.err);
    if (context.getCopyOfListenerList().stream()
        .noneMatch(LevelChangePropagator.class::isInstance)) {
      // keeps java.util.logging's levels in step with Logback's, so that disabled JUL lines
      // cost nothing
      LevelChangePropagator propagator = new LevelChangePropagator();
      propagator.setContext(context);
      propagator.setResetJUL(true);
      context.addListener(propagator);
      propagator.start();
    }
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** Replaces the configuration of {@code context}: every line to {@code out}. */
  public static void configure(
      LoggerContext context, Format format, Level level, OutputStream out) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(out, "out");
    context.reset();
    Encoder<ILoggingEvent> encoder = encoder(context, format);
    encoder.setContext(context);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setName("bridle-" + format.name().toLowerCase(Locale.ROOT));
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(appender);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, Format format) {
    return switch (format) {
      case JSON -> new RedactingJsonEncoder();
      case TEXT -> {
        RedactingTextLayout layout = new RedactingTextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> text = new LayoutWrappingEncoder<>();
        text.setLayout(layout);
        yield text;
      }
    };
  }

  static Format format(String value) {
    if (value == null || value.isBlank()) {
      return Format.TEXT;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "json" -> Format.JSON;
      case "text" -> Format.TEXT;
      default ->
          throw new ConfigurationException(
              FORMAT_ENV + " must be 'json' or 'text', but was '" + value + "'");
    };
  }

  static Level level(String value, Level defaultLevel) {
    if (value == null || value.isBlank()) {
      return defaultLevel;
    }
    Level level = Level.toLevel(value.strip(), null);
    if (level == null) {
      throw new ConfigurationException(
          LEVEL_ENV
              + " must be one of error, warn, info, debug, trace, off, but was '"
              + value
              + "'");
    }
    return level;
  }
}
