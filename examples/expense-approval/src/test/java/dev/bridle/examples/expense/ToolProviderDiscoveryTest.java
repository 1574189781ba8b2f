package dev.bridle.examples.expense;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import dev.bridle.core.tool.ToolProviders;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolProviderDiscoveryTest {

  private final ClassLoader loader = getClass().getClassLoader();

  @TempDir Path dir;

  @Test
  void theServiceLoaderFindsExpenseApprovalAndItOpensTheLedgerOnlyWhenAToolRuns() {
    Path file = dir.resolve("from-property/ledger.db");
    String previous = System.setProperty(ExpenseLedger.LOCATION_PROPERTY, file.toString());
    try {
      assertThat(ToolProviders.available(loader)).contains("expense-approval");

      ToolProvider provider = ToolProviders.find("expense-approval", loader);

      assertThat(provider).isInstanceOf(ExpenseApprovalTools.class);
      assertThat(provider.tools()).extracting(Tool::name).contains("approve_expense");
      ExpenseApprovalTools tools = (ExpenseApprovalTools) provider;
      assertThat(tools.ledger().file()).isEqualTo(file.toAbsolutePath());
      assertThat(file).doesNotExist();

      assertThat(tools.ledger().require("E-2003").employee()).isEqualTo("Maja Ostrowski");
      assertThat(file).isRegularFile();
    } finally {
      if (previous == null) {
        System.clearProperty(ExpenseLedger.LOCATION_PROPERTY);
      } else {
        System.setProperty(ExpenseLedger.LOCATION_PROPERTY, previous);
      }
    }
  }
}
