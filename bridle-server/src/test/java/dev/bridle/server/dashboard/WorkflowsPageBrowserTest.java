package dev.bridle.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.bridle.core.deploy.EvaluationRecord;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.core.policy.Mode;
import dev.bridle.server.auth.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's workflows page (deployment readiness) in a real headless Chromium against a real
 * server: the evidence seeded through the real API and store (approved runs, a suite result, a
 * shadow run and what the human did), the mode and where it comes from, the recommendation, the
 * versions side by side, with what people wrote redacted; a viewer has no mode form; an operator
 * changes the mode with a reason, sees the server's refusals (no reason, AUTONOMOUS without the
 * evidence) and forces AUTONOMOUS. The evidence test keeps a screenshot of the page in {@code
 * target/screenshots/workflow-crm.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ScreenshotOnFailure.class)
class WorkflowsPageBrowserTest implements ScreenshotOnFailure.ShowsAPage {

  private static final String SAME_CALL =
      "[{\"tool\": \"update_bio\", \"arguments\": {\"leadId\": \"L1\", \"bio\": \"shadow bio\"}}]";

  private Chromium chromium;
  private DashboardServer server;
  private BrowserContext context;
  private Page page;

  @BeforeAll
  void launch() {
    if (Chromium.installed()) {
      chromium = Chromium.launch();
    }
    PlaywrightAssertions.setDefaultAssertionTimeout(10_000);
  }

  @AfterAll
  void quit() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @BeforeEach
  void start(@TempDir Path dir) {
    Chromium.assumeInstalled();
    server = new DashboardServer(dir);
    context =
        chromium.browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900));
    page = context.newPage();
    page.setDefaultTimeout(10_000);
  }

  @AfterEach
  void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Override
  public Page page() {
    return page;
  }

  private void logIn(Role role, String principal) {
    page.navigate(server.url("/"));
    page.locator("#token").fill(server.secret(role));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    assertThat(page.locator("#who")).containsText(principal);
  }

  private void open(String hash) {
    page.navigate(server.url("/" + hash));
  }

  private void changeModeThroughApi(String mode, String reason) {
    server.json(
        "POST",
        "/api/v1/workflows/crm/mode",
        Role.OPERATOR,
        Map.of("mode", mode, "reason", reason),
        200);
  }

  /**
   * Two approved crm runs (PROPOSE, as its file says), a suite result for version 3, then SHADOW by
   * an operator's change, a shadow run and what the human did, the same call.
   */
  private void seedEvidence() {
    server.approveThroughApi(server.start("crm", "first approved bio"));
    server.approveThroughApi(server.start("crm", "second approved bio"));
    server.evidence.recordEvaluation(
        new EvaluationRecord("crm", "3", "regression", 40, 39, Instant.now(), "ci"));
    changeModeThroughApi("shadow", "trial on real leads, ask lee@example.com");
    RunId shadow = server.start("crm", "shadow bio");
    server.awaitStatus(shadow, RunStatus.COMPLETED);
    Assertions.assertThat(server.bios).containsEntry("L1", "second approved bio");
    server.json(
        "POST",
        "/api/v1/runs/" + shadow + "/shadow-decision",
        Role.APPROVER,
        Map.of("calls", parse(SAME_CALL)),
        201);
  }

  private static Object parse(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void listsAWorkflowWithItsEvidenceAndAViewerHasNoModeForm() throws Exception {
    seedEvidence();
    logIn(Role.VIEWER, "vic");
    page.locator("#nav a[data-section=workflows]").click();

    Locator crm = page.locator("#workflows tr[data-workflow=crm]");
    assertThat(crm.locator(".mode")).containsText("SHADOW");
    assertThat(crm.locator(".mode")).containsText("set by otto");
    assertThat(crm.locator(".supported")).hasText("SHADOW");
    assertThat(crm.locator(".recommendation")).containsText("hold");
    assertThat(crm.locator(".recommendation")).containsText("stay in SHADOW; PROPOSE needs");
    assertThat(page.locator("#workflows tr[data-workflow=notes] .mode"))
        .containsText("from the workflow file");

    crm.locator("a").click();
    assertThat(page.locator("#current-mode")).hasText("SHADOW");
    assertThat(page.locator("#mode-source")).containsText("Set by otto");
    assertThat(page.locator("#mode-source")).containsText("(was PROPOSE)");
    assertThat(page.locator("#mode-source .reason"))
        .hasText("trial on real leads, ask [REDACTED:EMAIL]");
    Assertions.assertThat(page.content()).doesNotContain("lee@example.com");
    assertThat(page.locator("#supported-mode")).hasText("SHADOW");
    assertThat(page.locator("#workflow-version")).hasValue("3");

    assertThat(page.locator("#recommendation")).containsText("Stay in SHADOW");
    assertThat(page.locator("#missing"))
        .containsText("agreement-sample: 3 comparisons, needs at least 50");

    Locator suite = page.locator("#evidence-suites tr[data-suite=regression]");
    assertThat(suite).containsText("39/40");
    assertThat(suite).containsText("97.5%");
    assertThat(page.locator("#streak")).hasText("2");
    assertThat(page.locator("#evidence-approvals")).containsText("SUPERVISED needs 100");
    assertThat(page.locator("#evidence-approvals meter[data-mode=SUPERVISED]"))
        .hasAttribute("value", "2");
    assertThat(page.locator("#evidence-approvals")).containsText("2 approved · 0 edited");
    // two approvals and the shadow run's one call, all agreed
    assertThat(page.locator("#agreement-total")).hasText("3/3 (100.0%)");
    Locator tool = page.locator("#agreement-by-tool tr[data-tool=update_bio] td");
    assertThat(tool.nth(0)).hasText("3");
    assertThat(tool.nth(1)).hasText("3");
    assertThat(tool.nth(2)).hasText("100.0%");
    assertThat(page.locator("#evidence-agreement")).containsText("1 shadow run(s) compared");
    assertThat(page.locator("#steps [data-step=SHADOW-PROPOSE]")).containsText("not ready");
    assertThat(page.locator("#steps [data-step=PROPOSE-SUPERVISED] [data-check=suite-pass-rate]"))
        .containsText("97.5%");

    Locator history = page.locator("#mode-changes tbody tr");
    assertThat(history).hasCount(1);
    assertThat(history).containsText("PROPOSE → SHADOW");
    assertThat(history).containsText("trial on real leads");

    Locator version3 = page.locator("#compare table td[data-version='3']");
    assertThat(version3.nth(0)).hasText("3");
    assertThat(version3.nth(1)).containsText("completed 3");
    assertThat(version3.nth(2)).containsText("regression: 39/40 (97.5%)");

    assertThat(page.locator("#mode-form")).hasCount(0);
    assertThat(page.locator("#mode-change-denied")).containsText("your role (viewer) may look");
    Assertions.assertThat(page.locator("#view button").count())
        .as("a viewer has no button that changes something")
        .isEqualTo(1); // the versions' Compare, which only reads

    context.clearCookies();
    logIn(Role.OPERATOR, "otto");
    open("#/workflows/crm");
    assertThat(page.locator("#mode-form")).isVisible();
    assertThat(page.locator("#streak")).hasText("2");
    Files.createDirectories(ScreenshotOnFailure.DIRECTORY);
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(ScreenshotOnFailure.DIRECTORY.resolve("workflow-crm.png"))
            .setFullPage(true));
  }

  @Test
  void aRunsPageShowsItsRatingsWithCommentsAsRedactedText() {
    RunId runId = server.start("crm", "rated bio");
    server.approveThroughApi(runId);
    server.json(
        "POST",
        "/api/v1/runs/" + runId + "/feedback",
        Role.OPERATOR,
        Map.of("rating", 2, "comment", "<b>wrong</b> company, see kim@example.com"),
        201);
    logIn(Role.VIEWER, "vic");

    open("#/runs/" + runId);

    assertThat(page.locator("#run-feedback"))
        .containsText("2/5 by otto — <b>wrong</b> company, see [REDACTED:EMAIL]");
    Assertions.assertThat(page.locator("#run-feedback b").count()).isZero();
    Assertions.assertThat(page.content()).doesNotContain("kim@example.com");
  }

  @Test
  void anOperatorChangesTheModeWithAReasonAndSeesTheServersRefusals() {
    logIn(Role.OPERATOR, "otto");
    open("#/workflows/crm");
    assertThat(page.locator("#current-mode")).hasText("PROPOSE");
    assertThat(page.locator("#mode-source")).containsText("As the workflow file declares it");
    assertThat(page.locator("#mode-changes")).containsText("No change yet");

    Locator form = page.locator("#mode-form");
    form.locator("#mode-select").selectOption("SHADOW");
    form.locator("button[type=submit]").click();
    assertThat(page.locator("#mode-problem")).hasText("reason is required");
    assertThat(page.locator("#mode-reason")).hasAttribute("aria-invalid", "true");
    Assertions.assertThat(server.evidence.modeChanges(Optional.of("crm"), 10)).isEmpty();

    String reason = "wrong bios <b>reported</b> by sales";
    page.locator("#mode-reason").fill(reason);
    form.locator("button[type=submit]").click();
    assertThat(page.locator(".flash-ok")).containsText("crm is in SHADOW now (was PROPOSE)");
    assertThat(page.locator("#mode-problem")).isHidden();
    assertThat(page.locator("#current-mode")).hasText("SHADOW");
    assertThat(page.locator("#mode-source")).containsText("Set by otto");
    Locator latest = page.locator("#mode-changes tbody tr").first();
    assertThat(latest).containsText("PROPOSE → SHADOW");
    assertThat(latest.locator("td").nth(2)).hasText("otto");
    assertThat(latest.locator(".reason")).hasText(reason);
    assertThat(latest.locator(".reason b")).hasCount(0);
    assertThat(page.locator("#mode-reason")).hasValue("");
    Assertions.assertThat(server.evidence.modeChanges(Optional.of("crm"), 10))
        .singleElement()
        .satisfies(
            change -> {
              Assertions.assertThat(change.by()).isEqualTo("otto");
              Assertions.assertThat(change.reason()).isEqualTo(reason);
              Assertions.assertThat(change.to()).isEqualTo(Mode.SHADOW);
            });

    Locator force = page.locator("#mode-force");
    form.locator("#mode-select").selectOption("SUPERVISED");
    assertThat(force).isDisabled();
    form.locator("#mode-select").selectOption("AUTONOMOUS");
    page.locator("#mode-reason").fill("ship it");
    form.locator("button[type=submit]").click();
    assertThat(page.locator("#mode-problem"))
        .containsText("the evidence does not support AUTONOMOUS for crm");
    assertThat(page.locator("#mode-problem")).containsText("Tick \"Force\"");
    Assertions.assertThat(server.evidence.modeChanges(Optional.of("crm"), 10)).hasSize(1);

    force.check();
    form.locator("button[type=submit]").click();
    page.locator("dialog.confirm")
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Force AUTONOMOUS"))
        .click();
    assertThat(page.locator(".flash-ok"))
        .containsText("crm is in AUTONOMOUS now (was SHADOW), forced");
    assertThat(page.locator("#current-mode")).hasText("AUTONOMOUS");
    assertThat(page.locator("#mode-changes tbody tr")).hasCount(2);
    assertThat(page.locator("#mode-changes tbody tr").first()).containsText("forced");
    assertThat(page.locator("#recommendation")).containsText("Review");
    List<ModeChange> changes = server.evidence.modeChanges(Optional.of("crm"), 10);
    Assertions.assertThat(changes.getFirst().forced()).isTrue();
    Assertions.assertThat(changes.getFirst().by()).isEqualTo("otto");
  }
}
