package dev.bridle.observability.log;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.bridle.core.guard.Redactor;

/**
 * A stack trace with its exception messages redacted: an exception that quotes a prompt or an
 * argument does not carry a secret into the logs. Usable in JSON (as the stack-trace provider's
 * converter) and in pattern layouts.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {

  @Override
  public String convert(ILoggingEvent event) {
    String trace = super.convert(event);
    return trace == null || trace.isEmpty() ? trace : Redactor.redact(trace);
  }
}
