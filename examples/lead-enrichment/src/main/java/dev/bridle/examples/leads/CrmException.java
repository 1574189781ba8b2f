package dev.bridle.examples.leads;

import java.nio.file.Path;

/** The CRM's database could not be opened, read or written; the message names the file. */
public final class CrmException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CrmException(Path file, String what, Throwable cause) {
    super("CRM database " + file + ": " + what + ": " + cause.getMessage(), cause);
  }
}
