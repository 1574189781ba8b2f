package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The written policy: the figures read from its tables, the lookup, and what it finds wrong. */
class ExpensePolicyTest {

  private final ExpensePolicy policy = ExpensePolicy.bundled();
  private final Map<String, ExpenseReport> reports =
      ExpenseLedger.bundledReports().stream()
          .collect(Collectors.toMap(ExpenseReport::id, report -> report));

  @Test
  void theFiguresComeFromTheDocumentsTables() {
    assertThat(policy.approvalThreshold()).isEqualByComparingTo("500.00");
    assertThat(policy.receiptThreshold()).isEqualByComparingTo("25.00");
    assertThat(policy.submitWithinDays()).isEqualTo(60);
    assertThat(policy.limits())
        .containsExactly(
            Map.entry("airfare", new BigDecimal("800.00")),
            Map.entry("rail", new BigDecimal("300.00")),
            Map.entry("lodging", new BigDecimal("180.00")),
            Map.entry("meals", new BigDecimal("60.00")),
            Map.entry("client-meals", new BigDecimal("150.00")),
            Map.entry("taxi", new BigDecimal("80.00")),
            Map.entry("parking", new BigDecimal("40.00")),
            Map.entry("office-supplies", new BigDecimal("150.00")),
            Map.entry("software", new BigDecimal("200.00")),
            Map.entry("training", new BigDecimal("1500.00")));
    assertThat(policy.neverReimbursed()).containsExactly("alcohol", "fines", "gifts", "personal");
    assertThat(policy.sections())
        .extracting(ExpensePolicy.Section::number)
        .containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void aLookupAnswersTheSectionsThatMentionTheTopicOrTheWholePolicy() {
    assertThat(policy.lookup(Optional.of("receipt")))
        .startsWith("## 1. Key figures")
        .contains("## 4. Receipts", "Every item above 25.00 needs a receipt")
        .doesNotContain("## 6. Deadlines");
    assertThat(policy.lookup(Optional.of("section 6")))
        .startsWith("## 6. Deadlines")
        .contains("within 60 days")
        .doesNotContain("## 5.");
    assertThat(policy.lookup(Optional.of("ALCOHOL"))).contains("## 5. Never reimbursed");
    assertThat(policy.lookup(Optional.empty())).isEqualTo(policy.text());
    assertThat(policy.lookup(Optional.of("yacht")))
        .startsWith("No section of the expense policy mentions 'yacht'. The whole policy follows.")
        .endsWith(policy.text());
  }

  @Test
  void cleanReportsHaveNoFindings() {
    for (String id :
        List.of(
            "E-2001", "E-2002", "E-2003", "E-2004", "E-2005", "E-2006", "E-2007", "E-2008",
            "E-2009", "E-2010", "E-2011", "E-2012", "E-2013", "E-2014", "E-2015", "E-2024",
            "E-2025", "E-2026")) {
      assertThat(policy.findings(reports.get(id))).as(id).isEmpty();
    }
  }

  @Test
  void alcoholIsFoundAsACategoryAndInsideAMeal() {
    assertThat(policy.findings(reports.get("E-2016")))
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.section()).isEqualTo(5);
              assertThat(finding.line()).isEqualTo(2);
              assertThat(finding.text())
                  .isEqualTo(
                      "section 5: item 2 (alcohol, EUR 68.00 on 2026-03-12) is alcohol, never"
                          + " reimbursed");
            });
    assertThat(policy.findings(reports.get("E-2017")))
        .singleElement()
        .satisfies(
            finding ->
                assertThat(finding.text())
                    .isEqualTo(
                        "section 5: item 2 (meals, EUR 46.50 on 2026-03-16) mentions 'beers':"
                            + " alcohol is never reimbursed, also as part of another expense"));
  }

  @Test
  void eachOtherRuleIsFoundWithItsSectionAndItem() {
    assertThat(policy.findings(reports.get("E-2018")))
        .singleElement()
        .satisfies(
            finding ->
                assertThat(finding.text())
                    .isEqualTo(
                        "section 4: item 1 (taxi, EUR 42.00 on 2026-03-15) has no receipt; every"
                            + " item above EUR 25.00 needs one"));
    assertThat(sections("E-2019")).containsExactly(4);
    assertThat(policy.findings(reports.get("E-2020")))
        .singleElement()
        .satisfies(
            finding ->
                assertThat(finding.text())
                    .isEqualTo(
                        "section 3: item 1 (lodging, EUR 240.00 on 2026-03-17) is above the"
                            + " lodging limit of EUR 180.00"));
    assertThat(sections("E-2021")).containsExactly(3);
    assertThat(policy.findings(reports.get("E-2022")))
        .extracting(PolicyFinding::text)
        .containsExactly(
            "section 5: item 2 (personal, EUR 27.00 on 2026-03-03) is personal, never reimbursed");
    assertThat(policy.findings(reports.get("E-2023")))
        .singleElement()
        .satisfies(
            finding -> {
              assertThat(finding.line()).isZero();
              assertThat(finding.text())
                  .isEqualTo(
                      "section 6: the report was submitted on 2026-03-20, 108 days after its"
                          + " oldest item (2025-12-02); the limit is 60 days");
            });
    assertThat(policy.findings(reports.get("E-2027")))
        .singleElement()
        .satisfies(
            finding ->
                assertThat(finding.text())
                    .startsWith(
                        "section 3: item 1 (coworking, EUR 35.00 on 2026-03-10) has category"
                            + " 'coworking', which the policy does not reimburse; it reimburses"
                            + " airfare, rail,"));
    assertThat(sections("E-2030")).containsExactly(3);
  }

  @Test
  void aWordInsideAnotherWordIsNotASign() {
    ExpenseReport engineering =
        new ExpenseReport(
            "E-9001",
            "Test Person",
            "test.person",
            "Engineering",
            "Engineering offsite",
            java.time.LocalDate.parse("2026-03-10"),
            ReportStatus.SUBMITTED,
            List.of(
                new ExpenseItem(
                    1,
                    java.time.LocalDate.parse("2026-03-09"),
                    "meals",
                    "Engineering lunch at the Winery Road canteen; ginger tea",
                    "Canteen",
                    new BigDecimal("20.00"),
                    false)),
            Optional.empty());

    assertThat(policy.findings(engineering)).isEmpty();
  }

  @Test
  void aDocumentWithoutTheFiguresIsRefusedNamingWhatIsMissing() {
    String withoutThreshold = policy.text().replace("| approval threshold | 500.00 |\n", "");
    String badLimit = policy.text().replace("| taxi | 80.00 | ride |", "| taxi | eighty | ride |");

    assertThatThrownBy(() -> ExpensePolicy.parse("edited.md", withoutThreshold))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("edited.md: section 1 must list the figure 'approval threshold'");
    assertThatThrownBy(() -> ExpensePolicy.parse("edited.md", badLimit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("edited.md: the limit of taxi must be an amount like 500.00, but was 'eighty'");
    assertThatThrownBy(() -> ExpensePolicy.parse("notes.md", "Just some notes."))
        .hasMessage("notes.md: no numbered sections ('## 1. Title') in the expense policy");
  }

  @Test
  void changingTheDocumentChangesTheThreshold() {
    ExpensePolicy stricter =
        ExpensePolicy.parse(
            "stricter.md",
            policy
                .text()
                .replace("| approval threshold | 500.00 |", "| approval threshold | 250.00 |"));

    assertThat(stricter.approvalThreshold()).isEqualByComparingTo("250.00");
    assertThat(ApprovalThresholdGuard.from(stricter).threshold()).isEqualByComparingTo("250.00");
  }

  private List<Integer> sections(String id) {
    return policy.findings(reports.get(id)).stream().map(PolicyFinding::section).toList();
  }
}
