package dev.bridle.examples.expense;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The initial data of one evaluation case for the {@code expense-approval} tools (see {@link
 * ExpenseApprovalTools#isolatedTools}): a JSON object with two optional fields.
 *
 * <ul>
 *   <li>{@code reports}: the ledger's reports, each in the shape of the bundled {@code
 *       expense-reports.json}, replacing the bundled 30 ({@code []} is an empty ledger);
 *   <li>{@code ledger}: {@code writable} (the default), {@code read-only} (reads work, every
 *       decision and flag fails as on a database that refuses writes) or {@code broken} (the file
 *       is not a database: every tool that touches the ledger fails).
 * </ul>
 *
 * @param reports the reports to seed; empty for the bundled ones
 * @param ledger the condition the ledger is in
 */
record ExpenseFixtures(Optional<List<ExpenseReport>> reports, LedgerCondition ledger) {

  /** The file the ledger lives in, inside the case's work directory. */
  static final String LEDGER_FILE = "expense-ledger.db";

  private static final Set<String> FIELDS = Set.of("reports", "ledger");

  /** The condition of an isolated ledger, as a fixture names it. */
  enum LedgerCondition {
    WRITABLE,
    READ_ONLY,
    BROKEN;

    /** The fixture's name for it, e.g. {@code read-only}. */
    String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  ExpenseFixtures {
    Objects.requireNonNull(reports, "reports");
    Objects.requireNonNull(ledger, "ledger");
  }

  /**
   * Reads a case's fixtures; {@code null}, a missing node and an empty object mean the bundled
   * reports on a writable ledger.
   *
   * @throws IllegalArgumentException naming the field (e.g. {@code fixtures.reports[1].purpose})
   *     when the fixtures do not fit the shape
   */
  static ExpenseFixtures from(JsonNode fixtures) {
    if (fixtures == null || fixtures.isMissingNode() || fixtures.isNull()) {
      return new ExpenseFixtures(Optional.empty(), LedgerCondition.WRITABLE);
    }
    if (!fixtures.isObject()) {
      throw new IllegalArgumentException(
          "fixtures of the expense-approval tools must be a JSON object with 'reports' and/or"
              + " 'ledger', but was "
              + fixtures.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    for (Iterator<String> names = fixtures.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "fixtures."
                + name
                + ": unknown field; the expense-approval tools know: ledger, reports");
      }
    }
    LedgerCondition ledger = ledger(fixtures.get("ledger"));
    Optional<List<ExpenseReport>> reports =
        fixtures.has("reports") ? Optional.of(reports(fixtures.get("reports"))) : Optional.empty();
    if (ledger == LedgerCondition.BROKEN && reports.isPresent()) {
      throw new IllegalArgumentException(
          "fixtures.reports: a broken ledger holds no reports; leave out 'reports' or 'ledger'");
    }
    return new ExpenseFixtures(reports, ledger);
  }

  /**
   * A new, throwaway ledger ({@link ExpenseLedger#scratch}) in {@code workDirectory} with these
   * reports, in this condition.
   *
   * @throws UncheckedIOException when the broken file cannot be written
   */
  ExpenseLedger ledgerIn(Path workDirectory) {
    Path file = workDirectory.resolve(LEDGER_FILE);
    return switch (ledger) {
      case WRITABLE -> seeded(file);
      case READ_ONLY -> seeded(file).readOnly();
      case BROKEN -> {
        try {
          Files.writeString(
              file,
              "This is not a SQLite database: the expense ledger is broken on purpose.\n",
              StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the broken ledger " + file, e);
        }
        yield ExpenseLedger.scratch(file, List.of());
      }
    };
  }

  private ExpenseLedger seeded(Path file) {
    return ExpenseLedger.scratch(file, reports.orElseGet(ExpenseLedger::bundledReports));
  }

  private static LedgerCondition ledger(JsonNode node) {
    if (node == null) {
      return LedgerCondition.WRITABLE;
    }
    String known =
        Arrays.stream(LedgerCondition.values())
            .map(LedgerCondition::wireName)
            .collect(Collectors.joining(", "));
    if (!node.isTextual()) {
      throw new IllegalArgumentException(
          "fixtures.ledger must be one of " + known + ", but was " + node);
    }
    return Arrays.stream(LedgerCondition.values())
        .filter(condition -> condition.wireName().equals(node.asText()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "fixtures.ledger must be one of "
                        + known
                        + ", but was '"
                        + node.asText()
                        + "'"));
  }

  private static List<ExpenseReport> reports(JsonNode node) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          "fixtures.reports must be an array of reports (the shape of expense-reports.json), but"
              + " was "
              + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    List<ExpenseReport> reports = new ArrayList<>(node.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      String where = "fixtures.reports[" + i + "]";
      ExpenseReport report = report(where, node.get(i));
      Integer first = seen.putIfAbsent(report.id(), i);
      if (first != null) {
        throw new IllegalArgumentException(
            where
                + ".id: report "
                + report.id()
                + " is given twice (also at fixtures.reports["
                + first
                + "])");
      }
      reports.add(report);
    }
    return List.copyOf(reports);
  }

  private static ExpenseReport report(String where, JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          where
              + " must be a report object, but was "
              + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    try {
      return ExpenseLedger.readReport(node);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(where + path(e) + ": " + problem(e), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The Jackson path of a mapping error as {@code .items[0].amount}. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append('.').append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** What was wrong: the record's own message when its constructor refused the value. */
  private static String problem(JsonMappingException e) {
    Throwable cause = e.getCause();
    if (cause instanceof NullPointerException && cause.getMessage() != null) {
      return "'" + cause.getMessage() + "' must not be null";
    }
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
      return cause.getMessage();
    }
    String message = e.getOriginalMessage();
    if (message.startsWith("Missing creator property")) {
      return "missing; every field of the bundled reports' shape is required";
    }
    if (message.startsWith("Cannot map `null`")) {
      return "must not be null";
    }
    // Jackson's hints name its own settings, which mean nothing to the suite's author
    int hint = message.indexOf(" (set DeserializationConfig");
    return hint < 0 ? message : message.substring(0, hint);
  }
}
