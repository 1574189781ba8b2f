package dev.bridle.examples.expense;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The written expense policy: a Markdown document for people and models ({@code
 * expense-policy.md}), and the figures and tables in it that code can check. The document is the
 * one source: the approval threshold, the receipt threshold, the deadline, the category limits and
 * the categories never reimbursed are read from its tables, so changing the document changes what
 * {@link #findings} reports and where the {@link ApprovalThresholdGuard} asks a manager.
 *
 * <p>{@link #findings} checks the rules a machine can check (sections 3 to 6). Judgement calls,
 * such as whether a purpose is a business purpose or whether an escape room is training, are left
 * to the model and the people reviewing. Immutable and thread-safe.
 */
public final class ExpensePolicy {

  private static final String BUNDLED_RESOURCE = "expense-policy.md";

  private static final Pattern HEADING = Pattern.compile("^## (\\d+)\\. (.+)$");

  /**
   * Words that show a never-reimbursed category inside an item of another category ("Hotel bar:
   * burger and two beers"). Matched as whole words, in any case.
   */
  private static final Map<String, List<String>> SIGNS =
      Map.of(
          "alcohol",
          List.of(
              "wine",
              "wines",
              "beer",
              "beers",
              "prosecco",
              "champagne",
              "cocktail",
              "cocktails",
              "spirits",
              "whisky",
              "whiskey",
              "vodka",
              "gin",
              "cider"),
          "personal",
          List.of("minibar", "in-room film", "in-room films", "in-room movie"),
          "fines",
          List.of("parking fine", "speeding fine", "penalty", "late fee"));

  /** One numbered section of the document ({@code ## 4. Receipts}). */
  public record Section(int number, String title, String text) {
    public Section {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(text, "text");
    }
  }

  private final String text;
  private final List<Section> sections;
  private final BigDecimal approvalThreshold;
  private final BigDecimal receiptThreshold;
  private final int submitWithinDays;
  private final Map<String, BigDecimal> limits;
  private final Set<String> neverReimbursed;
  private final Map<String, Pattern> signs;

  private ExpensePolicy(String where, String text) {
    this.text = text;
    this.sections = sections(where, text);
    Map<String, String> figures = table(where, section(where, 1), 2);
    this.approvalThreshold = amount(where, figures, "approval threshold");
    this.receiptThreshold = amount(where, figures, "receipt required above");
    this.submitWithinDays = days(where, figures, "submit within days");
    Map<String, BigDecimal> categoryLimits = new LinkedHashMap<>();
    table(where, section(where, 3), 3)
        .forEach(
            (category, limit) ->
                categoryLimits.put(
                    category, parseAmount(where, "the limit of " + category, limit)));
    this.limits = Collections.unmodifiableMap(categoryLimits);
    this.neverReimbursed =
        Collections.unmodifiableSortedSet(
            new TreeSet<>(table(where, section(where, 5), 2).keySet()));
    Map<String, Pattern> patterns = new LinkedHashMap<>();
    for (String category : neverReimbursed) {
      List<String> words = SIGNS.getOrDefault(category, List.of());
      if (!words.isEmpty()) {
        patterns.put(
            category,
            Pattern.compile(
                "\\b("
                    + words.stream().map(Pattern::quote).collect(Collectors.joining("|"))
                    + ")\\b",
                Pattern.CASE_INSENSITIVE));
      }
    }
    this.signs = Collections.unmodifiableMap(patterns);
  }

  /** The policy shipped with this example. */
  public static ExpensePolicy bundled() {
    try (InputStream in = ExpensePolicy.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled expense policy "
                + BUNDLED_RESOURCE
                + " is missing from the class path next to "
                + ExpensePolicy.class.getName());
      }
      return parse(BUNDLED_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled policy " + BUNDLED_RESOURCE, e);
    }
  }

  /**
   * Reads a policy document with the layout of the bundled one: numbered {@code ##} sections, the
   * key figures in section 1, the category limits in section 3 and the never-reimbursed categories
   * in section 5, each as a Markdown table.
   *
   * @param where names the document in error messages
   * @throws IllegalArgumentException naming the document, the section and what is missing
   */
  public static ExpensePolicy parse(String where, String markdown) {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(markdown, "markdown");
    return new ExpensePolicy(where, markdown);
  }

  /** The whole document, as Markdown. */
  public String text() {
    return text;
  }

  /** The numbered sections, in order. */
  public List<Section> sections() {
    return sections;
  }

  /** Above this total a manager approves a report (section 1). */
  public BigDecimal approvalThreshold() {
    return approvalThreshold;
  }

  /** Items above this amount need a receipt (section 1). */
  public BigDecimal receiptThreshold() {
    return receiptThreshold;
  }

  /** A report is due within this many days of its oldest item (section 1). */
  public int submitWithinDays() {
    return submitWithinDays;
  }

  /** Category → limit per item (section 3), in the document's order. */
  public Map<String, BigDecimal> limits() {
    return limits;
  }

  /** The categories never reimbursed (section 5), sorted. */
  public Set<String> neverReimbursed() {
    return neverReimbursed;
  }

  /**
   * What a reader asked about: the sections whose number, title or text mention {@code topic} (case
   * does not matter), or the whole document when there is no topic or no section mentions it.
   */
  public String lookup(Optional<String> topic) {
    if (topic.isEmpty() || topic.get().isBlank()) {
      return text;
    }
    String wanted = topic.get().strip().toLowerCase(Locale.ROOT);
    Matcher number = Pattern.compile("^(?:section\\s*)?(\\d+)$").matcher(wanted);
    List<Section> matching =
        sections.stream()
            .filter(
                section ->
                    number.matches()
                        ? section.number() == Integer.parseInt(number.group(1))
                        : (section.title() + "\n" + section.text())
                            .toLowerCase(Locale.ROOT)
                            .contains(wanted))
            .toList();
    if (matching.isEmpty()) {
      return "No section of the expense policy mentions '"
          + topic.get().strip()
          + "'. The whole policy follows.\n\n"
          + text;
    }
    return matching.stream()
        .map(section -> "## " + section.number() + ". " + section.title() + "\n\n" + section.text())
        .collect(Collectors.joining("\n\n"));
  }

  /**
   * The rules of sections 3 to 6 that {@code report} breaks, item by item in line order, then the
   * report's own (a late submission). Empty when a machine finds nothing wrong; a person or a model
   * may still judge otherwise.
   */
  public List<PolicyFinding> findings(ExpenseReport report) {
    List<PolicyFinding> findings = new ArrayList<>();
    for (ExpenseItem item : report.items()) {
      String what = describe(item);
      String category = item.category();
      if (neverReimbursed.contains(category)) {
        findings.add(
            new PolicyFinding(
                5, item.line(), "section 5: " + what + " is " + category + ", never reimbursed"));
      } else if (!limits.containsKey(category)) {
        findings.add(
            new PolicyFinding(
                3,
                item.line(),
                "section 3: "
                    + what
                    + " has category '"
                    + category
                    + "', which the policy does not reimburse; it reimburses "
                    + String.join(", ", limits.keySet())));
      } else {
        BigDecimal limit = limits.get(category);
        if (item.amount().compareTo(limit) > 0) {
          findings.add(
              new PolicyFinding(
                  3,
                  item.line(),
                  "section 3: "
                      + what
                      + " is above the "
                      + category
                      + " limit of "
                      + Money.eur(limit)));
        }
        for (Map.Entry<String, Pattern> sign : signs.entrySet()) {
          Matcher found = sign.getValue().matcher(item.description());
          if (found.find()) {
            findings.add(
                new PolicyFinding(
                    5,
                    item.line(),
                    "section 5: "
                        + what
                        + " mentions '"
                        + found.group(1).toLowerCase(Locale.ROOT)
                        + "': "
                        + sign.getKey()
                        + " is never reimbursed, also as part of another expense"));
          }
        }
      }
      if (!item.receipt() && item.amount().compareTo(receiptThreshold) > 0) {
        findings.add(
            new PolicyFinding(
                4,
                item.line(),
                "section 4: "
                    + what
                    + " has no receipt; every item above "
                    + Money.eur(receiptThreshold)
                    + " needs one"));
      }
    }
    report.items().stream()
        .map(ExpenseItem::date)
        .min(Comparator.naturalOrder())
        .ifPresent(
            oldest -> {
              long days = ChronoUnit.DAYS.between(oldest, report.submittedOn());
              if (days > submitWithinDays) {
                findings.add(
                    new PolicyFinding(
                        6,
                        0,
                        "section 6: the report was submitted on "
                            + report.submittedOn()
                            + ", "
                            + days
                            + " days after its oldest item ("
                            + oldest
                            + "); the limit is "
                            + submitWithinDays
                            + " days"));
              }
            });
    return List.copyOf(findings);
  }

  private static String describe(ExpenseItem item) {
    return "item "
        + item.line()
        + " ("
        + item.category()
        + ", "
        + Money.eur(item.amount())
        + " on "
        + item.date()
        + ")";
  }

  // ---- reading the document ----

  private static List<Section> sections(String where, String text) {
    List<Section> sections = new ArrayList<>();
    int number = -1;
    String title = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\\R", -1)) {
      Matcher heading = HEADING.matcher(line.strip());
      if (heading.matches()) {
        if (title != null) {
          sections.add(new Section(number, title, body.toString().strip()));
        }
        number = Integer.parseInt(heading.group(1));
        title = heading.group(2).strip();
        body.setLength(0);
      } else if (title != null) {
        body.append(line).append('\n');
      }
    }
    if (title != null) {
      sections.add(new Section(number, title, body.toString().strip()));
    }
    if (sections.isEmpty()) {
      throw new IllegalArgumentException(
          where + ": no numbered sections ('## 1. Title') in the expense policy");
    }
    return List.copyOf(sections);
  }

  private Section section(String where, int number) {
    return sections.stream()
        .filter(section -> section.number() == number)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    where + ": the expense policy has no section " + number));
  }

  /**
   * The rows of the first Markdown table in {@code section}: first column → second column. Every
   * row must have {@code columns} cells, and the first cells must differ.
   */
  private static Map<String, String> table(String where, Section section, int columns) {
    Map<String, String> rows = new LinkedHashMap<>();
    boolean header = true;
    boolean inTable = false;
    for (String line : section.text().split("\\R")) {
      String row = line.strip();
      if (!row.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      inTable = true;
      List<String> cells = cells(row);
      if (header) {
        header = false;
        continue;
      }
      if (cells.stream().allMatch(cell -> cell.matches(":?-{3,}:?"))) {
        continue;
      }
      if (cells.size() != columns) {
        throw new IllegalArgumentException(
            where
                + ": section "
                + section.number()
                + " ("
                + section.title()
                + "): a table row must have "
                + columns
                + " cells, but '"
                + row
                + "' has "
                + cells.size());
      }
      String key = cells.getFirst().toLowerCase(Locale.ROOT);
      if (rows.putIfAbsent(key, cells.get(1)) != null) {
        throw new IllegalArgumentException(
            where
                + ": section "
                + section.number()
                + " ("
                + section.title()
                + ") lists '"
                + key
                + "' twice");
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + ": section "
              + section.number()
              + " ("
              + section.title()
              + ") must hold a table, but has none");
    }
    return rows;
  }

  private static List<String> cells(String row) {
    String inner =
        row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
    List<String> cells = new ArrayList<>();
    for (String cell : inner.split("\\|", -1)) {
      cells.add(cell.strip());
    }
    return cells;
  }

  private static BigDecimal amount(String where, Map<String, String> figures, String name) {
    String value = figures.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          where + ": section 1 must list the figure '" + name + "', but lists " + figures.keySet());
    }
    return parseAmount(where, "the figure '" + name + "'", value);
  }

  private static BigDecimal parseAmount(String where, String what, String value) {
    try {
      BigDecimal amount = Money.of(new BigDecimal(value.strip()), what);
      if (amount.signum() <= 0) {
        throw new IllegalArgumentException(
            where + ": " + what + " must be positive, but was " + value);
      }
      return amount;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          where + ": " + what + " must be an amount like 500.00, but was '" + value + "'", e);
    }
  }

  private static int days(String where, Map<String, String> figures, String name) {
    String value = figures.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          where + ": section 1 must list the figure '" + name + "', but lists " + figures.keySet());
    }
    try {
      int days = Integer.parseInt(value.strip());
      if (days < 1) {
        throw new IllegalArgumentException(
            where + ": the figure '" + name + "' must be at least 1, but was " + days);
      }
      return days;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          where
              + ": the figure '"
              + name
              + "' must be a whole number of days, but was '"
              + value
              + "'",
          e);
    }
  }
}
