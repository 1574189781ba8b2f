package dev.bridle.observability.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.bridle.core.guard.Redactor;
import java.io.IOException;
import net.logstash.logback.composite.JsonWritingUtils;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;

/**
 * The {@code message} field, with secrets and personal data replaced by {@code [REDACTED:TYPE]} and
 * cut to {@link #setMaxChars max-chars} (default 8192).
 */
public final class RedactingMessageJsonProvider extends MessageJsonProvider {

  private int maxChars = 8192;

  public void setMaxChars(int maxChars) {
    if (maxChars < 16) {
      throw new IllegalArgumentException("max-chars must be at least 16, but was " + maxChars);
    }
    this.maxChars = maxChars;
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    String message = event.getFormattedMessage();
    JsonWritingUtils.writeStringField(
        generator, getFieldName(), message == null ? null : Redactor.redact(message, maxChars));
  }
}
