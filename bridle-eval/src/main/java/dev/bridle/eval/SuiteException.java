package dev.bridle.eval;

import dev.bridle.core.ConfigurationException;
import java.util.Objects;
import java.util.Optional;

/**
 * A suite file, or a suite for the workflow it evaluates, is invalid. The message names the file
 * (and line, for JSON Lines), the case and the key: {@code suite.yaml: case 'bio-l1004':
 * expect.outcome: unknown outcome 'done'; outcomes are ...}.
 */
public final class SuiteException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String caseId;
  private final String key;

  SuiteException(
      String message, String file, Optional<String> caseId, String key, Throwable cause) {
    super(message, cause);
    this.file = Objects.requireNonNull(file, "file");
    this.caseId = caseId.orElse(null);
    this.key = Objects.requireNonNull(key, "key");
  }

  /** The file (with {@code :line} for JSON Lines) the problem is in. */
  public String file() {
    return file;
  }

  /** The case the problem is in, if it is in one. */
  public Optional<String> caseId() {
    return Optional.ofNullable(caseId);
  }

  /** The key path the problem is at ({@code expect.tool-calls[1].args}); empty for the file. */
  public String key() {
    return key;
  }
}
