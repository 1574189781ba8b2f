package dev.bridle.examples.leads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * The example's CRM: a {@code leads} table in a SQLite file, created and seeded with the bundled
 * {@code leads.json} (30 invented leads, {@code L-1001} to {@code L-1030}) the first time it is
 * used. Every write is recorded in a {@code lead_writes} table under the idempotency key of the
 * call that made it, in the same transaction as the change, so a call run again with the same key
 * (after a crash, say) writes nothing and answers what the first call did.
 *
 * <p>The file is {@link #atDefaultLocation()}: the system property {@value #LOCATION_PROPERTY},
 * else the environment variable {@value #LOCATION_ENV}, else {@code .bridle/lead-crm.db} in the
 * working directory. Thread-safe; several processes may share the file (SQLite locks it; writers
 * wait up to five seconds).
 */
public final class LeadCrm {

  /** The shape of a lead id. */
  public static final Pattern LEAD_ID = Pattern.compile("L-\\d{4}");

  /** The system property that names the CRM file. */
  public static final String LOCATION_PROPERTY = "bridle.examples.leads.crm";

  /** The environment variable that names the CRM file, when the system property is not set. */
  public static final String LOCATION_ENV = "LEAD_CRM_DB";

  /** Where the CRM file lives when neither the property nor the variable names one. */
  public static final Path DEFAULT_LOCATION = Path.of(".bridle", "lead-crm.db");

  /**
   * The fields a write may change, in column order. The id and the audit columns ({@code
   * updated_by}, {@code updated_at}) are set by the CRM itself. Which of these an agent may change
   * is policy's business (the workflow allows only {@code bio}), not the CRM's.
   */
  public static final List<String> EDITABLE_FIELDS =
      List.of("name", "email", "company", "bio", "notes");

  private static final String BUNDLED_LEADS = "leads.json";
  private static final int BUSY_TIMEOUT_MILLIS = 5_000;
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();
  private static final TypeReference<TreeMap<String, String>> FIELDS = new TypeReference<>() {};

  private final Path file;
  private final List<Lead> seed;
  private final boolean synced;
  private final Object initLock = new Object();
  private volatile boolean ready;

  private LeadCrm(Path file, List<Lead> seed, boolean synced) {
    this.file = file.toAbsolutePath().normalize();
    this.seed = List.copyOf(seed);
    this.synced = synced;
  }

  /** The CRM in {@code file}, seeded with the bundled leads when its table is empty. */
  public static LeadCrm at(Path file) {
    return new LeadCrm(Objects.requireNonNull(file, "file"), bundledLeads(), true);
  }

  /**
   * The CRM in {@code file}, seeded with {@code leads} (instead of the bundled ones) when its table
   * is empty; an empty list leaves the CRM empty. For evaluation cases and tests on their own data.
   */
  public static LeadCrm at(Path file, List<Lead> leads) {
    return new LeadCrm(
        Objects.requireNonNull(file, "file"), Objects.requireNonNull(leads, "leads"), true);
  }

  /**
   * A throwaway CRM in {@code file}, seeded with {@code leads}, for one evaluation case: it works
   * like {@link #at(Path, List)} (transactions, idempotency) but SQLite does not wait for the disk
   * on each commit, so a crash of the machine may lose it. An evaluation deletes the file after the
   * case anyway; never use it for data that must survive.
   */
  static LeadCrm scratch(Path file, List<Lead> leads) {
    return new LeadCrm(
        Objects.requireNonNull(file, "file"), Objects.requireNonNull(leads, "leads"), false);
  }

  /** The CRM at the location the system property, the environment or the default names. */
  public static LeadCrm atDefaultLocation() {
    return at(location(System.getenv(), System.getProperties()));
  }

  /**
   * Where the CRM file is: {@value #LOCATION_PROPERTY} in {@code properties}, else {@value
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

  /** The leads shipped with this example, read from the class path once. */
  public static List<Lead> bundledLeads() {
    return BundledLeads.LEADS;
  }

  /** Read on first use, then shared: the leads are immutable records. */
  private static final class BundledLeads {
    static final List<Lead> LEADS = List.copyOf(readBundledLeads());
  }

  private static List<Lead> readBundledLeads() {
    try (InputStream in = LeadCrm.class.getResourceAsStream(BUNDLED_LEADS)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled leads "
                + BUNDLED_LEADS
                + " are missing from the class path next to "
                + LeadCrm.class.getName());
      }
      return JSON.readValue(in, new TypeReference<List<Lead>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled leads " + BUNDLED_LEADS, e);
    }
  }

  /** The SQLite file, absolute. */
  public Path file() {
    return file;
  }

  public Optional<Lead> find(String id) {
    Objects.requireNonNull(id, "id");
    return read("read lead " + id, connection -> select(connection, id));
  }

  /** The lead with this id, or an {@link UnknownLeadException} that says which ids exist. */
  public Lead require(String id) {
    return find(id).orElseThrow(() -> new UnknownLeadException(id, knownRange()));
  }

  /** Every lead, ordered by id. */
  public List<Lead> leads() {
    return read(
        "list leads",
        connection -> {
          try (PreparedStatement statement =
                  connection.prepareStatement("SELECT * FROM leads ORDER BY id");
              ResultSet rows = statement.executeQuery()) {
            List<Lead> leads = new ArrayList<>();
            while (rows.next()) {
              leads.add(lead(rows));
            }
            return leads;
          }
        });
  }

  /** Every write recorded for a lead, oldest first. */
  public List<LeadWrite> writesOf(String leadId) {
    return read(
        "read the writes of lead " + leadId,
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT * FROM lead_writes WHERE lead_id = ? ORDER BY seq")) {
            statement.setString(1, leadId);
            try (ResultSet rows = statement.executeQuery()) {
              List<LeadWrite> writes = new ArrayList<>();
              while (rows.next()) {
                writes.add(write(rows, false));
              }
              return writes;
            }
          }
        });
  }

  /**
   * Sets {@code changes} (field → new value; fields from {@link #EDITABLE_FIELDS}) on the lead,
   * with {@code by} and {@code at} as its {@code updated_by} and {@code updated_at}, and records
   * the write under {@code idempotencyKey}. When a write under that key exists already, nothing is
   * written and that write is returned with {@link LeadWrite#repeated()} set.
   *
   * @throws UnknownLeadException when there is no such lead
   * @throws IllegalArgumentException when a field is not editable, or the key was used for another
   *     lead
   */
  public LeadWrite write(
      String leadId, Map<String, String> changes, String by, String idempotencyKey, Instant at) {
    Objects.requireNonNull(leadId, "leadId");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(at, "at");
    Map<String, String> after = checkedChanges(changes);
    return transaction(
        "write lead " + leadId,
        connection -> {
          Optional<LeadWrite> earlier = writeUnder(connection, idempotencyKey);
          if (earlier.isPresent()) {
            if (!earlier.get().leadId().equals(leadId)) {
              throw new IllegalArgumentException(
                  "idempotency key "
                      + idempotencyKey
                      + " was already used to write lead "
                      + earlier.get().leadId()
                      + ", not "
                      + leadId);
            }
            return earlier.get();
          }
          Optional<Lead> found = select(connection, leadId);
          if (found.isEmpty()) {
            throw new UnknownLeadException(leadId, knownRange(connection));
          }
          Lead lead = found.get();
          Map<String, String> before = new TreeMap<>();
          after.keySet().forEach(field -> before.put(field, lead.field(field)));
          update(connection, leadId, after, by, at);
          record(connection, idempotencyKey, leadId, before, after, by, at);
          return new LeadWrite(leadId, before, after, by, at, false);
        });
  }

  private static Map<String, String> checkedChanges(Map<String, String> changes) {
    Objects.requireNonNull(changes, "changes");
    if (changes.isEmpty()) {
      throw new IllegalArgumentException("a lead write needs at least one field to change");
    }
    Map<String, String> checked = new TreeMap<>();
    changes.forEach(
        (field, value) -> {
          if (!EDITABLE_FIELDS.contains(field)) {
            throw new IllegalArgumentException(
                "'" + field + "' is not an editable lead field; use one of " + EDITABLE_FIELDS);
          }
          checked.put(field, Objects.requireNonNull(value, "the new value of " + field));
        });
    return checked;
  }

  private static void update(
      Connection connection, String leadId, Map<String, String> after, String by, Instant at)
      throws SQLException {
    // Column names come from EDITABLE_FIELDS only (checkedChanges), never from the caller's text.
    StringBuilder sql = new StringBuilder("UPDATE leads SET ");
    after.keySet().forEach(field -> sql.append(field).append(" = ?, "));
    sql.append("updated_by = ?, updated_at = ? WHERE id = ?");
    try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      int i = 1;
      for (String value : after.values()) {
        statement.setString(i++, value);
      }
      statement.setString(i++, by);
      statement.setString(i++, at.toString());
      statement.setString(i, leadId);
      statement.executeUpdate();
    }
  }

  private static void record(
      Connection connection,
      String idempotencyKey,
      String leadId,
      Map<String, String> before,
      Map<String, String> after,
      String by,
      Instant at)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO lead_writes (idempotency_key, lead_id, before_json, after_json,"
                + " written_by, written_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, idempotencyKey);
      statement.setString(2, leadId);
      statement.setString(3, json(before));
      statement.setString(4, json(after));
      statement.setString(5, by);
      statement.setString(6, at.toString());
      statement.executeUpdate();
    }
  }

  private static Optional<LeadWrite> writeUnder(Connection connection, String idempotencyKey)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM lead_writes WHERE idempotency_key = ?")) {
      statement.setString(1, idempotencyKey);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(write(rows, true)) : Optional.empty();
      }
    }
  }

  private static Optional<Lead> select(Connection connection, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT * FROM leads WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(lead(rows)) : Optional.empty();
      }
    }
  }

  private String knownRange() {
    return read("list lead ids", LeadCrm::knownRange);
  }

  private static String knownRange(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT MIN(id), MAX(id) FROM leads")) {
      rows.next();
      String first = rows.getString(1);
      String last = rows.getString(2);
      return first == null ? "(none: the CRM is empty)" : first + ".." + last;
    }
  }

  private static Lead lead(ResultSet row) throws SQLException {
    return new Lead(
        row.getString("id"),
        row.getString("name"),
        row.getString("email"),
        row.getString("company"),
        row.getString("bio"),
        row.getString("notes"),
        row.getString("updated_by"),
        Instant.parse(row.getString("updated_at")));
  }

  private static LeadWrite write(ResultSet row, boolean repeated) throws SQLException {
    return new LeadWrite(
        row.getString("lead_id"),
        fields(row.getString("before_json")),
        fields(row.getString("after_json")),
        row.getString("written_by"),
        Instant.parse(row.getString("written_at")),
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
        throw new CrmException(file, "cannot create its directory", e);
      }
      inTransaction("create and seed the leads table", this::createAndSeed);
      ready = true;
    }
  }

  private Void createAndSeed(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          """
          CREATE TABLE IF NOT EXISTS leads (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            email      TEXT NOT NULL UNIQUE,
            company    TEXT NOT NULL,
            bio        TEXT NOT NULL DEFAULT '',
            notes      TEXT NOT NULL DEFAULT '',
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
          )""");
      statement.executeUpdate(
          """
          CREATE TABLE IF NOT EXISTS lead_writes (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT NOT NULL UNIQUE,
            lead_id         TEXT NOT NULL REFERENCES leads (id),
            before_json     TEXT NOT NULL,
            after_json      TEXT NOT NULL,
            written_by      TEXT NOT NULL,
            written_at      TEXT NOT NULL
          )""");
      try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM leads")) {
        count.next();
        if (count.getLong(1) > 0) {
          return null;
        }
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO leads (id, name, email, company, bio, notes, updated_by, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Lead lead : seed) {
        insert.setString(1, lead.id());
        insert.setString(2, lead.name());
        insert.setString(3, lead.email());
        insert.setString(4, lead.company());
        insert.setString(5, lead.bio());
        insert.setString(6, lead.notes());
        insert.setString(7, lead.updatedBy());
        insert.setString(8, lead.updatedAt().toString());
        insert.addBatch();
      }
      insert.executeBatch();
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
      throw new CrmException(file, "cannot " + what, e);
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
      throw new CrmException(file, "cannot " + what, e);
    }
  }

  private Connection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.enforceForeignKeys(true);
    if (!synced) {
      config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
      config.setJournalMode(SQLiteConfig.JournalMode.MEMORY);
    }
    return config.createConnection("jdbc:sqlite:" + file);
  }

  private static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(new LinkedHashMap<>(fields));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> fields(String json) {
    try {
      return JSON.readValue(json, FIELDS);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
