package dev.bridle.observability.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import dev.bridle.core.guard.Redactor;
import java.time.Instant;

/**
 * One line per event for people: {@code 2026-11-22T10:00:00.123Z WARN [thread] logger - message},
 * then the stack trace; the message and the stack trace redacted.
 */
public final class RedactingTextLayout extends LayoutBase<ILoggingEvent> {

  private static final int MAX_CHARS = 8192;

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    line.append(Instant.ofEpochMilli(event.getTimeStamp()))
        .append(' ')
        .append(String.format("%-5s", event.getLevel()))
        .append(" [")
        .append(event.getThreadName())
        .append("] ")
        .append(event.getLoggerName())
        .append(" - ");
    String message = event.getFormattedMessage();
    line.append(message == null ? "" : Redactor.redact(message, MAX_CHARS))
        .append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(Redactor.redact(ThrowableProxyUtil.asString(thrown)))
          .append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString();
  }
}
