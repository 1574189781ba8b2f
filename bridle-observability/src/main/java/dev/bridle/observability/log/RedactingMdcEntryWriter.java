package dev.bridle.observability.log;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.bridle.core.guard.Redactor;
import java.io.IOException;
import net.logstash.logback.composite.loggingevent.mdc.MdcEntryWriter;

/** Writes every MDC value as a string, redacted and cut to 1024 characters. */
public final class RedactingMdcEntryWriter implements MdcEntryWriter {

  private static final int MAX_CHARS = 1024;

  @Override
  public boolean writeMdcEntry(
      JsonGenerator generator, String fieldName, String mdcKey, String mdcValue)
      throws IOException {
    generator.writeFieldName(fieldName);
    if (mdcValue == null) {
      generator.writeNull();
    } else {
      generator.writeString(Redactor.redact(mdcValue, MAX_CHARS));
    }
    return true;
  }
}
