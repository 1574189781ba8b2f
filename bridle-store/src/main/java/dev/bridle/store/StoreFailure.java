package dev.bridle.store;

import dev.bridle.core.BridleException;
import dev.bridle.core.journal.StoreUnavailableException;
import java.sql.SQLException;

/**
 * A failed store operation, described so that the exception can be made in the caller's thread: a
 * write fails in a writer thread, but the caller should see its own stack.
 *
 * @param store the store's URL without a password
 * @param doing what failed, for example "appending event #4 to run r-1"
 * @param unavailable the store is unreachable or refused the write for infrastructure reasons
 * @param outcomeUnknown the failure came while committing: the write may or may not be stored
 */
record StoreFailure(
    String store, String doing, SQLException cause, boolean unavailable, boolean outcomeUnknown) {

  private static final int MAX_DETAIL_CHARS = 500;

  static StoreFailure of(String store, Dialect dialect, String doing, SQLException cause) {
    return new StoreFailure(store, doing, cause, dialect.isUnavailable(cause), false);
  }

  static StoreFailure atCommit(String store, String doing, SQLException cause) {
    return new StoreFailure(store, doing, cause, true, true);
  }

  /** A {@link StoreUnavailableException}, or a {@link BridleException} for any other failure. */
  BridleException toException() {
    if (outcomeUnknown) {
      return new StoreUnavailableException(
          "store "
              + store
              + " is unavailable: "
              + doing
              + " failed while committing, so it may or may not have been stored; read the run"
              + " again before appending to it: "
              + detail(cause),
          cause);
    }
    if (unavailable) {
      return new StoreUnavailableException(
          "store " + store + " is unavailable: " + doing + " failed: " + detail(cause), cause);
    }
    return new BridleException(
        "store " + store + ": " + doing + " failed: " + detail(cause), cause);
  }

  /** The message of {@code e} and of its root cause, if that says more. */
  static String detail(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    if (e instanceof SQLException sql && sql.getSQLState() != null) {
      text.append(" (SQLState ").append(sql.getSQLState()).append(')');
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null && !text.toString().contains(root.getMessage())) {
      text.append("; caused by: ").append(root.getMessage());
    }
    return text.length() <= MAX_DETAIL_CHARS
        ? text.toString()
        : text.substring(0, MAX_DETAIL_CHARS) + "…";
  }
}
