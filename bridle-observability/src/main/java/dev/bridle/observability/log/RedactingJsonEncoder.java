package dev.bridle.observability.log;

import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * One JSON object per line: {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message}, the MDC entries (run and trace ids among them) and {@code
 * stack_trace}; the message, every MDC value and the stack trace redacted. Fields that could carry
 * unredacted values (structured arguments, markers, key-value pairs) are left out.
 *
 * <pre>{@code
 * <appender name="json" class="ch.qos.logback.core.ConsoleAppender">
 *   <encoder class="dev.bridle.observability.log.RedactingJsonEncoder"/>
 * </appender>
 * }</pre>
 */
public final class RedactingJsonEncoder extends LoggingEventCompositeJsonEncoder {

  public RedactingJsonEncoder() {
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
    LoggingEventFormattedTimestampJsonProvider timestamp =
        new LoggingEventFormattedTimestampJsonProvider();
    timestamp.setFieldName("timestamp");
    timestamp.setTimeZone("UTC");
    providers.addTimestamp(timestamp);
    LogLevelJsonProvider level = new LogLevelJsonProvider();
    level.setFieldName("level");
    providers.addLogLevel(level);
    LoggerNameJsonProvider logger = new LoggerNameJsonProvider();
    logger.setFieldName("logger");
    providers.addLoggerName(logger);
    LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
    thread.setFieldName("thread");
    providers.addThreadName(thread);
    providers.addMessage(new RedactingMessageJsonProvider());
    MdcJsonProvider mdc = new MdcJsonProvider();
    mdc.addMdcEntryWriter(new RedactingMdcEntryWriter());
    providers.addMdc(mdc);
    StackTraceJsonProvider stackTrace = new StackTraceJsonProvider();
    stackTrace.setFieldName("stack_trace");
    stackTrace.setThrowableConverter(new RedactingThrowableConverter());
    providers.addStackTrace(stackTrace);
    setProviders(providers);
  }
}
