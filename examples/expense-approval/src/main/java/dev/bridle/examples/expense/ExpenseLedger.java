package dev.bridle.examples.expense;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The example's expense system: reports and their items in a SQLite file, created and seeded with
 * the bundled {@code expense-reports.json} (30 invented reports, {@code E-2001} to {@code E-2030})
 * the first time it is used. Every decision is recorded in a {@code report_decisions} table and
 * every review flag in {@code review_flags}, each under the idempotency key of the call that made
 * it and in the same transaction, so a call run again with the same key (after a crash, say)
 * changes nothing and answers what the first call did.
 *
 * <p>The file is {@link #atDefaultLocation()}: the system property {@value #LOCATION_PROPERTY},
 * else the environment variable {@value #LOCATION_ENV}, else {@code .bridle/expense-ledger.db} in
 * the working directory. Thread-safe; several processes may share the file (SQLite locks it;
 * writers wait up to five seconds).
 */
public final class ExpenseLedger {

  /** The system property that names the ledger file. */
  public static final String LOCATION_PROPERTY = "bridle.examples.expense.ledger";

  /** The environment variable that names the ledger file, when the system property is not set. */
  public static final String LOCATION_ENV = "EXPENSE_LEDGER_DB";

  /** Where the ledger file lives when neither the property nor the variable names one. */
  public static final Path DEFAULT_LOCATION = Path.of(".bridle", "expense-ledger.db");

  private static final String BUNDLED_REPORTS = "expense-reports.json";
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .build();

  private final Path file;
  private final List<ExpenseReport> seed;
  private final boolean readOnly;
  private final boolean scratch;
  private final Object initLock = new Object();
  private volatile boolean ready;

  private ExpenseLedger(Path file, List<ExpenseReport> seed, boolean readOnly, boolean scratch) {
    this.file = file.toAbsolutePath().normalize();
    this.seed = List.copyOf(seed);
    this.readOnly = readOnly;
    this.scratch = scratch;
    this.ready = readOnly;
  }

  /** The ledger in {@code file}, seeded with the bundled reports when it has none. */
  public static ExpenseLedger at(Path file) {
    return at(file, bundledReports());
  }

  /**
   * The ledger in {@code file}, seeded with {@code reports} when it has none (an empty list leaves
   * it empty).
   *
   * @throws IllegalArgumentException when two reports have the same id
   */
  public static ExpenseLedger at(Path file, List<ExpenseReport> reports) {
    return new ExpenseLedger(file, distinct(file, reports), false, false);
  }

  /**
   * A throwaway ledger in {@code file}, seeded with {@code reports}, for one evaluation case: the
   * same tables, checks and transactions, but SQLite does not wait for the disk (no sync, the
   * rollback journal in memory), so a crash may lose it. Never for data that must survive.
   */
  static ExpenseLedger scratch(Path file, List<ExpenseReport> reports) {
    return new ExpenseLedger(file, distinct(file, reports), false, true);
  }

  private static List<ExpenseReport> distinct(Path file, List<ExpenseReport> reports) {
    Objects.requireNonNull(file, "file");
    Set<String> ids = new HashSet<>();
    for (ExpenseReport report : reports) {
      if (!ids.add(report.id())) {
        throw new IllegalArgumentException(
            "the reports to seed ledger " + file + " hold report " + report.id() + " twice");
      }
    }
    return reports;
  }

  /**
   * The same file, opened read-only: reads work, and every decision and flag fails with a {@link
   * LedgerException}, as on a database that refuses writes. Creates and seeds the file first if it
   * is new.
   */
  public ExpenseLedger readOnly() {
    ensureReady();
    return new ExpenseLedger(file, seed, true, scratch);
  }

  /** The ledger at the location the system property, the environment or the default names. */
  public static ExpenseLedger atDefaultLocation() {
    return at(location(System.getenv(), System.getProperties()));
  }

  /**
   * Where the ledger file is: {@value #LOCATION_PROPERTY} in {@code properties}, else {@value
   * #LOCATION_ENV} in {@code environment}, else {@link #DEFAULT_LOCATION}. Blank values count as
   * unset.
   */
  public static Path location(Map<String, String> environment, Properties properties) {
    String property = properties.getProperty(LOCATION_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property.strip());
    }
    String variable = environment.get(LOCATION_ENV);
    if (variable != null && !variable.isBlank()) {
      return Path.of(variable.strip());
    }
    return DEFAULT_LOCATION;
  }

  /** The reports shipped with this example, read from the class path. */
  public static List<ExpenseReport> bundledReports() {
    try (InputStream in = ExpenseLedger.class.getResourceAsStream(BUNDLED_REPORTS)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled reports "
                + BUNDLED_REPORTS
                + " are missing from the class path next to "
                + ExpenseLedger.class.getName());
      }
      return JSON.readValue(in, new TypeReference<List<ExpenseReport>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled reports " + BUNDLED_REPORTS, e);
    }
  }

  /**
   * One report in the shape of the bundled file, read as strictly as the bundled file is (unknown
   * fields, missing fields and nulls for booleans and numbers are errors).
   */
  static ExpenseReport readReport(JsonNode node) throws JsonProcessingException {
    return JSON.treeToValue(node, ExpenseReport.class);
  }

  /** The SQLite file, absolute. */
  public Path file() {
    return file;
  }

  public Optional<ExpenseReport> find(String id) {
    Objects.requireNonNull(id, "id");
    return read("read report " + id, connection -> select(connection, id));
  }

  /** The report with this id, or an {@link UnknownReportException} that says which ids exist. */
  public ExpenseReport require(String id) {
    return find(id).orElseThrow(() -> new UnknownReportException(id, knownRange()));
  }

  /** Every report, ordered by id. */
  public List<ExpenseReport> reports() {
    return read(
        "list reports",
        connection -> {
          List<String> ids = new ArrayList<>();
          try (Statement statement = connection.createStatement();
              ResultSet rows = statement.executeQuery("SELECT id FROM reports ORDER BY id")) {
            while (rows.next()) {
              ids.add(rows.getString(1));
            }
          }
          List<ExpenseReport> reports = new ArrayList<>(ids.size());
          for (String id : ids) {
            reports.add(select(connection, id).orElseThrow());
          }
          return reports;
        });
  }

  /**
   * Approves or rejects a submitted report: sets its status and decision ({@code by}, {@code at},
   * {@code note}) and records the decision under {@code idempotencyKey}. When a decision under that
   * key exists already, nothing changes and that decision is returned with {@link
   * ReportDecision#repeated()} set.
   *
   * @throws UnknownReportException when there is no such report
   * @throws DecisionRefusedException when the report was decided already
   * @throws IllegalArgumentException when {@code to} is {@link ReportStatus#SUBMITTED} or the key
   *     was used for another report or decision
   */
  public ReportDecision decide(
      String reportId, ReportStatus to, String note, String by, String idempotencyKey, Instant at) {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(at, "at");
    if (to == ReportStatus.SUBMITTED) {
      throw new IllegalArgumentException(
          "a decision approves or rejects; use reopen to make report " + reportId + " submitted");
    }
    return transaction(
        "decide report " + reportId,
        connection -> {
          Optional<ReportDecision> earlier = decisionUnder(connection, idempotencyKey);
          if (earlier.isPresent()) {
            return sameCall(earlier.get(), reportId, to, idempotencyKey);
          }
          ExpenseReport report = existing(connection, reportId);
          if (report.status() != ReportStatus.SUBMITTED) {
            Decision decision = report.decision().orElseThrow();
            throw new DecisionRefusedException(
                reportId,
                "report "
                    + reportId
                    + " was already "
                    + report.status().wireName()
                    + " by "
                    + decision.by()
                    + " at "
                    + decision.at()
                    + "; a decided report is not decided again");
          }
          setStatus(connection, reportId, to, Optional.of(new Decision(by, at, note)));
          ReportDecision made =
              new ReportDecision(reportId, ReportStatus.SUBMITTED, to, note, by, at, false);
          record(connection, idempotencyKey, made);
          return made;
        });
  }

  /**
   * Makes a decided report submitted again, undoing a decision: the inverse of {@link #decide}.
   * Reopening a report that is submitted already changes nothing (it is idempotent).
   *
   * @param from the status the reopening undoes; a report in another status is not reopened
   * @throws UnknownReportException when there is no such report
   * @throws DecisionRefusedException when the report is neither {@code from} nor submitted: it was
   *     decided differently since, and reopening would undo a decision the caller did not make
   */
  public ReportDecision reopen(
      String reportId, ReportStatus from, String by, String idempotencyKey, Instant at) {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(at, "at");
    if (from == ReportStatus.SUBMITTED) {
      throw new IllegalArgumentException(
          "reopen undoes an approval or a rejection, not 'submitted' (report " + reportId + ")");
    }
    return transaction(
        "reopen report " + reportId,
        connection -> {
          Optional<ReportDecision> earlier = decisionUnder(connection, idempotencyKey);
          if (earlier.isPresent()) {
            return sameCall(earlier.get(), reportId, ReportStatus.SUBMITTED, idempotencyKey);
          }
          ExpenseReport report = existing(connection, reportId);
          if (report.status() == ReportStatus.SUBMITTED) {
            return new ReportDecision(
                reportId, ReportStatus.SUBMITTED, ReportStatus.SUBMITTED, "", by, at, false);
          }
          if (report.status() != from) {
            throw new DecisionRefusedException(
                reportId,
                "report "
                    + reportId
                    + " is "
                    + report.status().wireName()
                    + " now, not "
                    + from.wireName()
                    + "; reopening it would undo a decision this call did not make");
          }
          setStatus(connection, reportId, ReportStatus.SUBMITTED, Optional.empty());
          ReportDecision made =
              new ReportDecision(reportId, from, ReportStatus.SUBMITTED, "", by, at, false);
          record(connection, idempotencyKey, made);
          return made;
        });
  }

  /** Every decision and reopening recorded for a report, oldest first. */
  public List<ReportDecision> decisionsOf(String reportId) {
    return read(
        "read the decisions of report " + reportId,
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT * FROM report_decisions WHERE report_id = ? ORDER BY seq")) {
            statement.setString(1, reportId);
            try (ResultSet rows = statement.executeQuery()) {
              List<ReportDecision> decisions = new ArrayList<>();
              while (rows.next()) {
                decisions.add(decision(rows, false));
              }
              return decisions;
            }
          }
        });
  }

  /**
   * Flags a submitted report for the finance team. When a flag under {@code idempotencyKey} exists
   * already, no second flag is raised and that one is returned with {@link ReviewFlag#repeated()}
   * set.
   *
   * @throws UnknownReportException when there is no such report
   * @throws DecisionRefusedException when the report was decided already
   */
  public ReviewFlag flag(
      String reportId, String reason, String by, String idempotencyKey, Instant at) {
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(at, "at");
    return transaction(
        "flag report " + reportId,
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT * FROM review_flags WHERE idempotency_key = ?")) {
            statement.setString(1, idempotencyKey);
            try (ResultSet rows = statement.executeQuery()) {
              if (rows.next()) {
                ReviewFlag earlier = flag(rows, true);
                if (!earlier.reportId().equals(reportId)) {
                  throw new IllegalArgumentException(
                      "idempotency key "
                          + idempotencyKey
                          + " was already used to flag report "
                          + earlier.reportId()
                          + ", not "
                          + reportId);
                }
                return earlier;
              }
            }
          }
          ExpenseReport report = existing(connection, reportId);
          if (report.status() != ReportStatus.SUBMITTED) {
            throw new DecisionRefusedException(
                reportId,
                "report "
                    + reportId
                    + " was already "
                    + report.status().wireName()
                    + "; only a submitted report can be flagged for review");
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO review_flags (idempotency_key, report_id, reason, flagged_by,"
                      + " flagged_at) VALUES (?, ?, ?, ?, ?)",
                  Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, idempotencyKey);
            insert.setString(2, reportId);
            insert.setString(3, reason);
            insert.setString(4, by);
            insert.setString(5, at.toString());
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
              keys.next();
              return new ReviewFlag(keys.getLong(1), reportId, reason, by, at, false);
            }
          }
        });
  }

  /** Every review flag of a report, oldest first. */
  public List<ReviewFlag> flagsOf(String reportId) {
    return read(
        "read the review flags of report " + reportId,
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT * FROM review_flags WHERE report_id = ? ORDER BY seq")) {
            statement.setString(1, reportId);
            try (ResultSet rows = statement.executeQuery()) {
              List<ReviewFlag> flags = new ArrayList<>();
              while (rows.next()) {
                flags.add(flag(rows, false));
              }
              return flags;
            }
          }
        });
  }

  // ---- rows ----

  private static ReportDecision sameCall(
      ReportDecision earlier, String reportId, ReportStatus to, String idempotencyKey) {
    if (!earlier.reportId().equals(reportId) || earlier.after() != to) {
      throw new IllegalArgumentException(
          "idempotency key "
              + idempotencyKey
              + " was already used to make report "
              + earlier.reportId()
              + " "
              + earlier.after().wireName()
              + ", not report "
              + reportId
              + " "
              + to.wireName());
    }
    return new ReportDecision(
        earlier.reportId(),
        earlier.before(),
        earlier.after(),
        earlier.note(),
        earlier.decidedBy(),
        earlier.decidedAt(),
        true);
  }

  private ExpenseReport existing(Connection connection, String reportId) throws SQLException {
    Optional<ExpenseReport> found = select(connection, reportId);
    if (found.isEmpty()) {
      throw new UnknownReportException(reportId, knownRange(connection));
    }
    return found.get();
  }

  private static void setStatus(
      Connection connection, String reportId, ReportStatus status, Optional<Decision> decision)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE reports SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?"
                + " WHERE id = ?")) {
      statement.setString(1, status.wireName());
      statement.setString(2, decision.map(Decision::by).orElse(null));
      statement.setString(3, decision.map(d -> d.at().toString()).orElse(null));
      statement.setString(4, decision.map(Decision::note).orElse(null));
      statement.setString(5, reportId);
      statement.executeUpdate();
    }
  }

  private static void record(Connection connection, String idempotencyKey, ReportDecision made)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO report_decisions (idempotency_key, report_id, before_status,"
                + " after_status, note, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, idempotencyKey);
      statement.setString(2, made.reportId());
      statement.setString(3, made.before().wireName());
      statement.setString(4, made.after().wireName());
      statement.setString(5, made.note());
      statement.setString(6, made.decidedBy());
      statement.setString(7, made.decidedAt().toString());
      statement.executeUpdate();
    }
  }

  private static Optional<ReportDecision> decisionUnder(
      Connection connection, String idempotencyKey) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM report_decisions WHERE idempotency_key = ?")) {
      statement.setString(1, idempotencyKey);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(decision(rows, true)) : Optional.empty();
      }
    }
  }

  private static Optional<ExpenseReport> select(Connection connection, String id)
      throws SQLException {
    List<ExpenseItem> items = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT * FROM report_items WHERE report_id = ? ORDER BY line")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          items.add(
              new ExpenseItem(
                  rows.getInt("line"),
                  LocalDate.parse(rows.getString("date")),
                  rows.getString("category"),
                  rows.getString("description"),
                  rows.getString("merchant"),
                  new BigDecimal(rows.getString("amount")),
                  rows.getInt("receipt") == 1));
        }
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM reports WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        String decidedBy = row.getString("decided_by");
        Optional<Decision> decision =
            decidedBy == null
                ? Optional.empty()
                : Optional.of(
                    new Decision(
                        decidedBy,
                        Instant.parse(row.getString("decided_at")),
                        row.getString("decision_note")));
        return Optional.of(
            new ExpenseReport(
                row.getString("id"),
                row.getString("employee"),
                row.getString("employee_user"),
                row.getString("department"),
                row.getString("purpose"),
                LocalDate.parse(row.getString("submitted_on")),
                ReportStatus.fromWireName(row.getString("status")),
                items,
                decision));
      }
    }
  }

  private String knownRange() {
    return read("list report ids", ExpenseLedger::knownRange);
  }

  private static String knownRange(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT MIN(id), MAX(id) FROM reports")) {
      rows.next();
      String first = rows.getString(1);
      String last = rows.getString(2);
      return first == null ? "(none: the ledger is empty)" : first + ".." + last;
    }
  }

  private static ReportDecision decision(ResultSet row, boolean repeated) throws SQLException {
    return new ReportDecision(
        row.getString("report_id"),
        ReportStatus.fromWireName(row.getString("before_status")),
        ReportStatus.fromWireName(row.getString("after_status")),
        row.getString("note"),
        row.getString("decided_by"),
        Instant.parse(row.getString("decided_at")),
        repeated);
  }

  private static ReviewFlag flag(ResultSet row, boolean repeated) throws SQLException {
    return new ReviewFlag(
        row.getLong("seq"),
        row.getString("report_id"),
        row.getString("reason"),
        row.getString("flagged_by"),
        Instant.parse(row.getString("flagged_at")),
        repeated);
  }

  // ---- schema, seed and connections ----

  private void ensureReady() {
    if (ready) {
      return;
    }
    synchronized (initLock) {
      if (ready) {
        return;
      }
      try {
        Path parent = file.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (IOException e) {
        throw new LedgerException(file, "cannot create its directory", e);
      }
      inTransaction("create and seed the expense tables", this::createAndSeed);
      ready = true;
    }
  }

  private Void createAndSeed(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          """
          CREATE TABLE IF NOT EXISTS reports (
            id            TEXT PRIMARY KEY,
            employee      TEXT NOT NULL,
            employee_user TEXT NOT NULL,
            department    TEXT NOT NULL,
            purpose       TEXT NOT NULL,
            submitted_on  TEXT NOT NULL,
            status        TEXT NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected')),
            decided_by    TEXT,
            decided_at    TEXT,
            decision_note TEXT
          )""");
      statement.executeUpdate(
          """
          CREATE TABLE IF NOT EXISTS report_items (
            report_id   TEXT NOT NULL REFERENCES reports (id),
            line        INTEGER NOT NULL,
            date        TEXT NOT NULL,
            category    TEXT NOT NULL,
            description TEXT NOT NULL,
            merchant    TEXT NOT NULL,
            amount      TEXT NOT NULL,
            receipt     INTEGER NOT NULL CHECK (receipt IN (0, 1)),
            PRIMARY KEY (report_id, line)
          )""");
      statement.executeUpdate(
          """
          CREATE TABLE IF NOT EXISTS report_decisions (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            report_id       TEXT NOT NULL REFERENCES reports (id),
            before_status   TEXT NOT NULL,
            after_status    TEXT NOT NULL,
            note            TEXT NOT NULL,
            decided_by      TEXT NOT NULL,
            decided_at      TEXT NOT NULL
          )""");
      statement.executeUpdate(
          """
          CREATE TABLE IF NOT EXISTS review_flags (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            report_id       TEXT NOT NULL REFERENCES reports (id),
            reason          TEXT NOT NULL,
            flagged_by      TEXT NOT NULL,
            flagged_at      TEXT NOT NULL
          )""");
      try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM reports")) {
        count.next();
        if (count.getLong(1) > 0) {
          return null;
        }
      }
    }
    try (PreparedStatement reports =
            connection.prepareStatement(
                "INSERT INTO reports (id, employee, employee_user, department, purpose,"
                    + " submitted_on, status, decided_by, decided_at, decision_note)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        PreparedStatement items =
            connection.prepareStatement(
                "INSERT INTO report_items (report_id, line, date, category, description,"
                    + " merchant, amount, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (ExpenseReport report : seed) {
        reports.setString(1, report.id());
        reports.setString(2, report.employee());
        reports.setString(3, report.employeeUser());
        reports.setString(4, report.department());
        reports.setString(5, report.purpose());
        reports.setString(6, report.submittedOn().toString());
        reports.setString(7, report.status().wireName());
        reports.setString(8, report.decision().map(Decision::by).orElse(null));
        reports.setString(9, report.decision().map(d -> d.at().toString()).orElse(null));
        reports.setString(10, report.decision().map(Decision::note).orElse(null));
        reports.addBatch();
        for (ExpenseItem item : report.items()) {
          items.setString(1, report.id());
          items.setInt(2, item.line());
          items.setString(3, item.date().toString());
          items.setString(4, item.category());
          items.setString(5, item.description());
          items.setString(6, item.merchant());
          items.setString(7, item.amount().toPlainString());
          items.setInt(8, item.receipt() ? 1 : 0);
          items.addBatch();
        }
      }
      reports.executeBatch();
      items.executeBatch();
    }
    return null;
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
  }

  private <T> T read(String what, SqlWork<T> work) {
    ensureReady();
    try (Connection connection = open()) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new LedgerException(file, "cannot " + what, e);
    }
  }

  private <T> T transaction(String what, SqlWork<T> work) {
    ensureReady();
    return inTransaction(what, work);
  }

  /**
   * Runs {@code work} in one immediate transaction: committed when it returns, else rolled back.
   */
  private <T> T inTransaction(String what, SqlWork<T> work) {
    try (Connection connection = open()) {
      connection.setAutoCommit(false);
      try {
        T result = work.apply(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new LedgerException(file, "cannot " + what, e);
    }
  }

  private Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.enforceForeignKeys(true);
    config.setReadOnly(readOnly);
    if (scratch) {
      config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
      config.setJournalMode(SQLiteConfig.JournalMode.MEMORY);
    }
    return config.createConnection("jdbc:sqlite:" + file);
  }
}
