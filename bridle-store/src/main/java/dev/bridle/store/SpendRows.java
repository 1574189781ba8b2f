package dev.bridle.store;

import dev.bridle.core.BridleException;
import dev.bridle.core.cost.BudgetScope;
import dev.bridle.core.cost.Spend;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The statements over {@code spend_totals} ({@code V5__budgets_and_rates.sql}). Dollars are exact:
 * a {@code NUMERIC} added by PostgreSQL, or on SQLite a decimal string added here in Java, within
 * the write transaction that holds SQLite's write lock.
 */
final class SpendRows {

  private static final String WHERE = " WHERE scope_period = ? AND subject = ? AND period_key = ?";

  private static final String SELECT = "SELECT tokens, usd FROM spend_totals" + WHERE;

  /** PostgreSQL: one statement that adds under the row's lock and returns the new total. */
  private static final String ADD_RETURNING =
      "INSERT INTO spend_totals (scope_period, subject, period_key, tokens, usd)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope_period, subject, period_key) DO UPDATE"
          + " SET tokens = spend_totals.tokens + excluded.tokens,"
          + " usd = spend_totals.usd + excluded.usd"
          + " RETURNING tokens, usd";

  /** SQLite: writes the total computed in the transaction. */
  private static final String PUT =
      "INSERT INTO spend_totals (scope_period, subject, period_key, tokens, usd)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope_period, subject, period_key) DO UPDATE"
          + " SET tokens = excluded.tokens, usd = excluded.usd";

  private final Dialect dialect;

  SpendRows(Dialect dialect) {
    this.dialect = dialect;
  }

  /** Adds {@code spend} to the row's total, inside a write transaction; returns the new total. */
  Spend add(Connection c, BudgetScope scope, String periodKey, Spend spend) throws SQLException {
    return switch (dialect) {
      case POSTGRESQL -> addReturning(c, scope, periodKey, spend);
      case SQLITE -> addInJava(c, scope, periodKey, spend);
    };
  }

  /**
   * PostgreSQL adds, exactly ({@code NUMERIC}), under the lock of the row it inserts or updates.
   */
  private Spend addReturning(Connection c, BudgetScope scope, String periodKey, Spend spend)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ADD_RETURNING)) {
      bindKey(s, scope, periodKey);
      s.setLong(4, spend.tokens());
      s.setBigDecimal(5, spend.usd());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("INSERT ... RETURNING into spend_totals returned no row");
        }
        return spend(rs, scope, periodKey);
      }
    }
  }

  /**
   * SQLite reads the total, adds in Java and writes the sum: atomic because the transaction holds
   * SQLite's only write lock from its {@code BEGIN IMMEDIATE} on.
   */
  private Spend addInJava(Connection c, BudgetScope scope, String periodKey, Spend spend)
      throws SQLException {
    Spend total = find(c, scope, periodKey).map(spent -> plus(spent, spend)).orElse(spend);
    try (PreparedStatement s = c.prepareStatement(PUT)) {
      bindKey(s, scope, periodKey);
      s.setLong(4, total.tokens());
      s.setString(5, total.usd().toPlainString());
      s.executeUpdate();
    }
    return total;
  }

  /** The row's total, if anything was spent. */
  Optional<Spend> find(Connection c, BudgetScope scope, String periodKey) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT)) {
      bindKey(s, scope, periodKey);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(spend(rs, scope, periodKey)) : Optional.empty();
      }
    }
  }

  private static void bindKey(PreparedStatement s, BudgetScope scope, String periodKey)
      throws SQLException {
    s.setString(1, scope.period().name());
    s.setString(2, StoredText.indexed(scope.subject()));
    s.setString(3, StoredText.indexed(periodKey));
  }

  /** The total of the current row: tokens, then dollars as exact text (both databases). */
  private static Spend spend(ResultSet rs, BudgetScope scope, String periodKey)
      throws SQLException {
    String usd = rs.getString(2);
    try {
      return new Spend(rs.getLong(1), new BigDecimal(usd));
    } catch (IllegalArgumentException e) {
      throw new BridleException(
          "spend_totals holds an invalid total for "
              + scope
              + " in period '"
              + periodKey
              + "': "
              + rs.getLong(1)
              + " tokens and usd '"
              + usd
              + "' (expected a non-negative decimal number)",
          e);
    }
  }

  private static Spend plus(Spend spent, Spend spend) {
    try {
      return new Spend(Math.addExact(spent.tokens(), spend.tokens()), spent.usd().add(spend.usd()));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "the token total would pass "
              + Long.MAX_VALUE
              + ": "
              + spent.tokens()
              + " + "
              + spend.tokens(),
          e);
    }
  }
}
