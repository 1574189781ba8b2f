package dev.bridle.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStatus;
import dev.bridle.server.auth.Role;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
 * The dashboard in a real headless Chromium against a real server (SQLite store, worker, HTTP on a
 * free port): log in, follow a run's timeline live, approve, edit, reject, kill and revive, revert,
 * spend, what a viewer may do, and that no secret or personal data reaches a page. A failing test
 * leaves a screenshot in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(ScreenshotOnFailure.class)
class DashboardBrowserTest implements ScreenshotOnFailure.ShowsAPage {

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
    context = chromium.browser.newContext();
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

  private Locator event(String type) {
    return page.locator("#timeline li[data-type=" + type + "]");
  }

  private Locator approvalCard(RunId runId) {
    return page.locator("article.approval[data-run='" + runId + "']");
  }

  private Locator dialogButton(String name) {
    return page.locator("dialog.confirm")
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
  }

  @Test
  void logsInWithATokenAndFollowsARunTimelineLive() {
    page.navigate(server.url("/"));
    page.locator("#token").fill("brl_not-a-real-token");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    assertThat(page.locator(".flash-error")).containsText("unknown or revoked");
    assertThat(page.locator("#token")).hasValue("");

    RunId runId = server.start("crm", "bio followed live");
    server.awaitStatus(runId, RunStatus.SUSPENDED);
    logIn(Role.APPROVER, "april");
    assertThat(page.locator("#who")).containsText("approver");
    Locator row = page.locator("#runs tr[data-run='" + runId + "']");
    assertThat(row).containsText("SUSPENDED");
    assertThat(row.locator("td.model")).hasText(DashboardServer.MODEL);

    row.locator("a.run-link").click();
    assertThat(page.locator("#run-id")).hasText(runId.value());
    assertThat(event("ApprovalRequested")).containsText("Approval requested: update_bio");
    assertThat(event("ApprovalRequested")).containsText("bio of L1 becomes 'bio followed live'");
    assertThat(event("ModelResponded").first()).containsText("1,200 in / 80 out tokens");
    assertThat(event("ModelResponded").first()).containsText("$0.0038");
    assertThat(event("ToolCallProposed")).containsText("\"leadId\": \"L1\"");
    assertThat(page.locator("#live")).isVisible();
    assertThat(page.locator("#run-outcome")).containsText("Waiting for a human");
    page.evaluate("() => { window.stillTheSamePage = true; }");

    server.approveThroughApi(runId);

    assertThat(event("ApprovalDecided")).containsText("Approved by april");
    assertThat(event("ToolCallCompleted")).containsText("Tool call succeeded: update_bio");
    assertThat(event("RunCompleted")).containsText("bio set");
    assertThat(page.locator("#run-status")).hasText("COMPLETED");
    assertThat(page.locator("#live")).isHidden();
    assertThat(page.locator("#run-cost")).hasText("$0.0076");
    Assertions.assertThat(page.evaluate("() => window.stillTheSamePage"))
        .as("the timeline followed the run without reloading")
        .isEqualTo(true);
    Assertions.assertThat(page.locator("#timeline li[data-seq]").count())
        .isEqualTo((int) server.queue.store().find(runId).orElseThrow().lastSeq());
  }

  @Test
  void approvesFromTheInboxInOneClickAndTheRunFinishes() {
    RunId runId = server.start("crm", "approved bio");
    server.awaitStatus(runId, RunStatus.SUSPENDED);
    logIn(Role.APPROVER, "april");
    open("#/approvals");

    Locator card = approvalCard(runId);
    assertThat(card).containsText("approved bio");
    assertThat(card.locator(".preview")).hasText("bio of L1 becomes 'approved bio'");
    assertThat(card).containsText("propose mode");
    assertThat(card).containsText("requested by otto");
    assertThat(page.locator("#approval-count")).hasText("1");
    card.locator("button[data-action=approve]").click();

    assertThat(card).hasCount(0);
    assertThat(page.locator(".flash-ok")).containsText("Approved update_bio");
    assertThat(page.locator("#inbox-empty")).isVisible();
    server.awaitStatus(runId, RunStatus.COMPLETED);
    Assertions.assertThat(server.bios).containsEntry("L1", "approved bio");

    page.locator(".flash-ok a.run-link").click();
    assertThat(page.locator("#run-status")).hasText("COMPLETED");
    assertThat(event("ApprovalDecided")).containsText("Approved by april");
  }

  @Test
  void editsTheArgumentsBeforeApproving() {
    RunId runId = server.start("crm", "proposed bio");
    server.awaitStatus(runId, RunStatus.SUSPENDED);
    logIn(Role.APPROVER, "april");
    open("#/approvals");
    Locator card = approvalCard(runId);
    card.locator("button[data-action=edit]").click();
    Locator arguments = card.locator(".edit-panel textarea");
    assertThat(arguments).hasValue(Pattern.compile("\"bio\": \"proposed bio\""));

    arguments.fill("{\"leadId\": ");
    card.getByText("Approve with these arguments").click();
    assertThat(card.locator(".decision-error")).containsText("not valid JSON");

    arguments.fill("{\"leadId\": 5, \"bio\": \"x\"}");
    card.getByText("Approve with these arguments").click();
    assertThat(card.locator(".decision-error")).isVisible();
    assertThat(card.locator(".decision-error")).not().containsText("not valid JSON");
    Assertions.assertThat(server.status(runId)).isEqualTo(RunStatus.SUSPENDED);

    arguments.fill("{\"leadId\": \"L1\", \"bio\": \"edited in the browser\"}");
    card.getByText("Approve with these arguments").click();

    assertThat(card).hasCount(0);
    server.awaitStatus(runId, RunStatus.COMPLETED);
    Assertions.assertThat(server.bios).containsEntry("L1", "edited in the browser");
    open("#/runs/" + runId);
    assertThat(event("ApprovalDecided")).containsText("Approved with edited arguments by april");
    assertThat(event("ApprovalDecided")).containsText("edited in the browser");
  }

  @Test
  void rejectsWithAReasonTheAgentIsTold() {
    RunId runId = server.start("crm", "unwanted bio");
    server.awaitStatus(runId, RunStatus.SUSPENDED);
    logIn(Role.APPROVER, "april");
    open("#/approvals");
    Locator card = approvalCard(runId);
    card.locator("button[data-action=reject]").click();
    Locator reject = card.locator(".message-panel button[type=submit]");
    reject.click();
    assertThat(card.locator(".decision-error")).containsText("Say why");

    card.locator(".message-panel textarea").fill("wrong lead, ask the owner first");
    reject.click();

    assertThat(card).hasCount(0);
    server.awaitStatus(runId, RunStatus.COMPLETED);
    Assertions.assertThat(server.bios).containsEntry("L1", "original bio");
    open("#/runs/" + runId);
    assertThat(event("ApprovalDecided")).containsText("Rejected by april");
    assertThat(event("ApprovalDecided")).containsText("wrong lead, ask the owner first");
    assertThat(page.locator("#timeline li[data-type=ToolCallCompleted]")).hasCount(0);
  }

  @Test
  void killsAWorkflowAfterConfirmationThenRevivesItAndResumesItsParkedRun() {
    logIn(Role.OPERATOR, "otto");
    open("#/kill-switches");
    Locator notes = page.locator("#workflow-switches tr[data-workflow=notes]");
    assertThat(notes.locator(".state")).hasText("running");

    notes.locator("button[data-action=kill]").click();
    dialogButton("Cancel").click();
    assertThat(page.locator("dialog.confirm")).hasCount(0);
    Assertions.assertThat(server.kills.active())
        .as("cancelling the dialog kills nothing")
        .isEmpty();

    notes.locator("button[data-action=kill]").click();
    page.locator("dialog.confirm textarea").fill("notes are wrong");
    dialogButton("Kill").click();
    assertThat(notes.locator(".state")).containsText("killed");
    assertThat(page.locator("#active-switches")).containsText("notes are wrong");
    Assertions.assertThat(server.kills.active())
        .singleElement()
        .satisfies(kill -> Assertions.assertThat(kill.by()).isEqualTo("otto"));

    RunId parked = server.start("notes", "a note while killed");
    server.awaitStatus(parked, RunStatus.KILLED);

    notes.locator("button[data-action=revive]").click();
    dialogButton("Revive").click();
    assertThat(notes.locator(".state")).hasText("running");
    Locator resumable = page.locator("#resumable li[data-run='" + parked + "']");
    resumable.locator("button[data-action=resume]").click();
    server.awaitStatus(parked, RunStatus.COMPLETED);
    assertThat(resumable).hasCount(0);

    page.locator("#kill-global").click();
    dialogButton("Kill").click();
    assertThat(page.locator("#global-switch")).containsText("killed");
    Assertions.assertThat(server.kills.active()).hasSize(1);
    page.locator("#revive-global").click();
    dialogButton("Revive").click();
    assertThat(page.locator("#global-switch")).containsText("running");
    Assertions.assertThat(server.kills.active()).isEmpty();
  }

  @Test
  void revertsARunFromTheAuditTrailAndAWorkflowSinceATime() {
    RunId first = server.start("crm", "first bio");
    server.approveThroughApi(first);
    Assertions.assertThat(server.bios).containsEntry("L1", "first bio");
    logIn(Role.OPERATOR, "otto");
    open("#/audit");

    Locator entry = page.locator("#audit tr[data-run='" + first + "']");
    assertThat(entry).containsText("april (approve)");
    assertThat(entry).containsText("crm:lead/L1");
    entry.locator("button[data-action=revert-run]").click();
    dialogButton("Revert").click();
    assertThat(page.locator(".flash-ok")).containsText("1 change reverted");
    Assertions.assertThat(server.bios).containsEntry("L1", "original bio");
    assertThat(entry.locator(".reverted")).containsText("by otto");
    assertThat(entry.locator("button[data-action=revert-run]")).hasCount(0);

    page.locator(".flash-ok button").click();
    assertThat(page.locator(".flash-ok")).hasCount(0);

    RunId second = server.start("crm", "second bio");
    server.approveThroughApi(second);
    Assertions.assertThat(server.bios).containsEntry("L1", "second bio");
    page.locator("#revert-workflow").selectOption("crm");
    page.locator("#revert-since")
        .fill(
            LocalDateTime.now()
                .minusMinutes(10)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")));
    page.locator("#revert-form button[type=submit]").click();
    assertThat(page.locator("dialog.confirm")).containsText("workflow crm since");
    dialogButton("Revert").click();
    assertThat(page.locator(".flash-ok")).containsText("1 change reverted");
    assertThat(page.locator("#audit tr[data-run='" + second + "'] .reverted"))
        .containsText("by otto");
    Assertions.assertThat(server.bios).containsEntry("L1", "original bio");
  }

  @Test
  void showsSpendPerWorkflowUserAndModelAsAChartWithTheBudgets() {
    RunId one = server.start("crm", "spend one");
    server.approveThroughApi(one);
    RunId two = server.start("crm", "spend two", "dana");
    server.approveThroughApi(two);
    RunId note = server.start("notes", "a free note");
    server.awaitStatus(note, RunStatus.COMPLETED);
    logIn(Role.VIEWER, "vic");

    Locator row = page.locator("#runs tr[data-run='" + one + "']");
    assertThat(row.locator("td.cost")).hasText("$0.0076");
    assertThat(row.locator("td.model")).hasText(DashboardServer.MODEL);

    open("#/spend");
    assertThat(page.locator("#spend-total")).containsText("$0.0152");
    assertThat(page.locator("#spend-total")).containsText("1 call(s) without a price");
    assertThat(page.locator("#spend-chart rect[data-series=crm]")).not().hasCount(0);
    assertThat(page.locator("#spend-by-workflow tr[data-key=crm] .cost")).hasText("$0.0152");
    assertThat(page.locator("#spend-by-user tr[data-key=dana] .cost")).hasText("$0.0076");
    assertThat(page.locator("#spend-by-model tr[data-key='" + DashboardServer.MODEL + "']"))
        .containsText("4,800");
    assertThat(page.locator("#spend-by-model tr[data-key='scripted:notes']"))
        .containsText("unpriced");
    assertThat(page.locator("#budget-use")).containsText("per workflow and day");
    assertThat(page.locator("#budget-use")).containsText("$0.0152");
    assertThat(page.locator("#budget-alerts")).containsText("crm");

    page.locator("#spend-group").selectOption("model");
    page.locator("#spend-metric").selectOption("tokens");
    assertThat(page.locator("#spend-chart svg.chart"))
        .hasAttribute("aria-label", Pattern.compile("^Tokens per model"));
    assertThat(page.locator("#spend-chart .legend")).containsText(DashboardServer.MODEL);
    assertThat(page.locator("#spend-chart rect[data-series='" + DashboardServer.MODEL + "'] title"))
        .not()
        .hasCount(0);
  }

  @Test
  void aViewerSeesTheInboxAndTheSwitchesButCanChangeNothing() {
    RunId runId = server.start("crm", "viewed bio");
    server.awaitStatus(runId, RunStatus.SUSPENDED);
    logIn(Role.VIEWER, "vic");

    open("#/approvals");
    assertThat(approvalCard(runId)).containsText("viewed bio");
    assertThat(page.locator("#view")).containsText("may look but not decide");
    assertThat(approvalCard(runId).locator("button")).hasCount(0);

    open("#/kill-switches");
    assertThat(page.locator("#workflow-switches tr[data-workflow=crm]")).containsText("running");
    assertThat(page.locator("#view button")).hasCount(0);

    open("#/runs/" + runId);
    assertThat(event("ApprovalRequested")).isVisible();
    assertThat(page.locator("#run-actions button")).hasCount(0);
    open("#/audit");
    assertThat(page.locator("#revert-form")).hasCount(0);
  }

  @Test
  void noSecretOrPersonalDataReachesAnyPage() {
    String email = "jane.doe@example.com";
    String card = "4111 1111 1111 1111";
    RunId runId = server.start("crm", "Bio for " + email + ", card " + card);
    server.awaitStatus(runId, RunStatus.SUSPENDED);
    logIn(Role.OPERATOR, "otto");

    Map<String, Locator> pages = new java.util.LinkedHashMap<>();
    pages.put("#/runs", page.locator("#runs tr[data-run='" + runId + "']"));
    pages.put("#/runs/" + runId, event("ApprovalRequested"));
    pages.put("#/approvals", approvalCard(runId));
    for (Map.Entry<String, Locator> shown : pages.entrySet()) {
      open(shown.getKey());
      assertThat(shown.getValue()).containsText("[REDACTED:EMAIL]");
      assertNothingSecretOn(shown.getKey(), List.of(email, card, "1111 1111"));
    }

    server.approveThroughApi(runId);
    for (String hash : List.of("#/audit", "#/spend", "#/kill-switches")) {
      open(hash);
      page.locator("#view table").first().waitFor();
      assertNothingSecretOn(hash, List.of(email, card, "1111 1111"));
    }
    open("#/audit");
    assertThat(page.locator("#audit tr[data-run='" + runId + "']")).containsText("[REDACTED:");
    assertNothingSecretOn("#/audit", List.of(email, card));

    Assertions.assertThat(page.evaluate("() => localStorage.length + sessionStorage.length"))
        .as("nothing is kept in the browser's storage")
        .isEqualTo(0);
    Assertions.assertThat((String) page.evaluate("() => document.cookie"))
        .as("the session cookie is HttpOnly")
        .doesNotContain("bridle_session");
  }

  private void assertNothingSecretOn(String where, List<String> personal) {
    String html = page.content();
    for (String value : personal) {
      Assertions.assertThat(html).as("personal data on " + where).doesNotContain(value);
    }
    for (String secret : server.secrets.values()) {
      Assertions.assertThat(html).as("a token on " + where).doesNotContain(secret);
    }
  }
}
