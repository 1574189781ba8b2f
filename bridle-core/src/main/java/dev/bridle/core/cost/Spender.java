package dev.bridle.core.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who spends: the run making a model call, the user it runs for (if known) and its workflow. Every
 * call counts against the run's, the user's and the workflow's budgets.
 */
public record Spender(String runId, Optional<String> user, String workflow) {
  public Spender {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(workflow, "workflow");
  }

  /** The scopes this spender's calls count against: run, user (if known), workflow. */
  public List<BudgetScope> scopes() {
    List<BudgetScope> scopes = new ArrayList<>(3);
    scopes.add(BudgetScope.run(runId));
    user.filter(name -> !name.isBlank()).ifPresent(name -> scopes.add(BudgetScope.user(name)));
    scopes.add(BudgetScope.workflow(workflow));
    return scopes;
  }
}
