package dev.bridle.core.journal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** The identity of one run. Printable, URL-safe, at most 64 characters. */
public record RunId(String value) {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public RunId {
    Objects.requireNonNull(value, "value");
    if (!VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "run id must match [A-Za-z0-9._:-]{1,64}, but was '" + value + "'");
    }
  }

  @JsonCreator
  public static RunId of(String value) {
    return new RunId(value);
  }

  public static RunId random() {
    return new RunId("run-" + UUID.randomUUID());
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
