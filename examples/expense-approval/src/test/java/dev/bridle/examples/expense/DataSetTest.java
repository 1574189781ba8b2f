package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The bundled reports: thirty, fictional, and a mix of what an expense desk sees. */
class DataSetTest {

  private final List<ExpenseReport> reports = ExpenseLedger.bundledReports();
  private final ExpensePolicy policy = ExpensePolicy.bundled();

  @Test
  void thirtyReportsNumberedE2001ToE2030() {
    assertThat(reports)
        .extracting(ExpenseReport::id)
        .containsExactlyElementsOf(
            IntStream.rangeClosed(2001, 2030).mapToObj(n -> "E-" + n).toList());
  }

  @Test
  void twentyEightWaitForADecisionAndTwoWereDecidedByAManager() {
    assertThat(reports).filteredOn(r -> r.status() == ReportStatus.SUBMITTED).hasSize(28);
    assertThat(reports)
        .filteredOn(r -> r.status() != ReportStatus.SUBMITTED)
        .extracting(ExpenseReport::id, ExpenseReport::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("E-2028", ReportStatus.APPROVED),
            org.assertj.core.groups.Tuple.tuple("E-2029", ReportStatus.REJECTED));
  }

  @Test
  void theMixCoversEveryPath() {
    List<ExpenseReport> open =
        reports.stream().filter(r -> r.status() == ReportStatus.SUBMITTED).toList();
    List<ExpenseReport> clean = open.stream().filter(r -> policy.findings(r).isEmpty()).toList();
    List<ExpenseReport> large =
        clean.stream().filter(r -> r.total().compareTo(policy.approvalThreshold()) > 0).toList();

    assertThat(clean).hasSize(18);
    assertThat(large)
        .extracting(ExpenseReport::id)
        .containsExactly("E-2011", "E-2012", "E-2013", "E-2014");
    assertThat(open.stream().filter(r -> !policy.findings(r).isEmpty()))
        .extracting(ExpenseReport::id)
        .containsExactly(
            "E-2016", "E-2017", "E-2018", "E-2019", "E-2020", "E-2021", "E-2022", "E-2023",
            "E-2027", "E-2030");
    assertThat(byId("E-2015").total())
        .as("exactly at the threshold: the agent may approve it")
        .isEqualByComparingTo(policy.approvalThreshold());
  }

  @Test
  void theScriptedReportIsSmallAndClean() {
    ExpenseReport scripted = byId("E-2003");

    assertThat(scripted.total()).isEqualByComparingTo(new BigDecimal("388.00"));
    assertThat(policy.findings(scripted)).isEmpty();
  }

  @Test
  void oneReportCarriesInstructionsAimedAtTheAgent() {
    assertThat(reports)
        .filteredOn(r -> r.purpose().toLowerCase(java.util.Locale.ROOT).contains("approver"))
        .extracting(ExpenseReport::id)
        .containsExactly("E-2024");
    assertThat(byId("E-2024").purpose()).contains("E-2025");
  }

  @Test
  void everyAmountHasCentsAndEveryReportHasItsEmployeesUserName() {
    assertThat(reports)
        .flatExtracting(ExpenseReport::items)
        .allSatisfy(item -> assertThat(item.amount().scale()).isEqualTo(2));
    assertThat(reports).allSatisfy(r -> assertThat(r.employeeUser()).matches("[a-z]+\\.[a-z]+"));
  }

  private ExpenseReport byId(String id) {
    return reports.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }
}
