package dev.bridle.core.workflow;

import dev.bridle.core.ConfigurationException;

/**
 * A workflow file is invalid. The message starts with {@code file:line:column:} and names the key,
 * so editors and people can jump to it.
 */
public final class WorkflowException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;

  public WorkflowException(String file, int line, int column, String problem, Throwable cause) {
    super(file + ":" + (line > 0 ? line + ":" + column + ": " : " ") + problem, cause);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  public String file() {
    return file;
  }

  /** 1-based; 0 when unknown. */
  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
