package dev.bridle.examples.expense;

import java.nio.file.Path;

/** The expense ledger's database could not be opened, read or written; the message names it. */
public final class LedgerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  LedgerException(Path file, String what, Throwable cause) {
    super("expense ledger " + file + ": " + what + ": " + cause.getMessage(), cause);
  }
}
