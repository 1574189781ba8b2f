package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.Feedback;
import dev.bridle.core.deploy.ShadowDecision;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.model.Usage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment evidence contract on SQLite: two nodes are two stores opened on one file. */
class SqliteDeploymentEvidenceContractTest extends DeploymentEvidenceContract {

  @TempDir Path directory;

  private final List<RunStore> others = new ArrayList<>();

  private String url() {
    return "sqlite:" + directory.resolve("store/bridle.db");
  }

  @Override
  protected RunStore openRuns() {
    return RunStores.open(url());
  }

  @Override
  protected DeploymentEvidence evidenceOf(RunStore store) {
    return RunStores.deploymentEvidence(store);
  }

  @Override
  protected DeploymentEvidence anotherNode() {
    RunStore other = RunStores.open(url());
    others.add(other);
    return RunStores.deploymentEvidence(other);
  }

  @AfterEach
  void closeTheOtherNodes() {
    others.forEach(RunStore::close);
  }

  @Test
  void theEvidenceOutlivesTheProcessThatWroteIt() {
    RunId run = started("r1", "crm", "3");
    evidence.recordFeedback(new Feedback(run, "crm", "3", 5, "ok", "bob", at(1)));
    runs.close();

    try (RunStore reopened = RunStores.open(url())) {
      assertThat(RunStores.deploymentEvidence(reopened).feedbackOn(run))
          .singleElement()
          .satisfies(f -> assertThat(f.rating()).isEqualTo(5));
      assertThat(RunStores.deploymentEvidence(reopened).toString())
          .isEqualTo("DeploymentEvidence[" + url() + "]");
    }
  }

  @Test
  void pruningARunLeavesItsEvidence() throws Exception {
    RunId run = started("r1", "crm", "3");
    evidence.recordShadowDecision(new ShadowDecision(run, "crm", "3", List.of(), "hugo", at(2)));
    evidence.recordFeedback(new Feedback(run, "crm", "3", 5, "", "bob", at(2)));
    runs.append(run, 1, new RunEvent.RunCompleted(at(3), "done", 1, Usage.ZERO));

    assertThat(runs.pruneEndedBefore(at(10))).isEqualTo(1);

    assertThat(runs.find(run)).isEmpty();
    assertThat(evidence.shadowDecision(run)).isPresent();
    assertThat(evidence.feedback("crm", 10)).hasSize(1);
    assertThat(count("shadow_decisions") + count("run_feedback")).isEqualTo(2);
  }

  @Test
  void aCommentIsStoredAsTextTheDatabaseCanHold() {
    RunId run = started("r1", "crm", "3");

    evidence.recordFeedback(
        new Feedback(run, "crm", "3", 3, "half \uD83D emoji\u0000", "bob", at(1)));

    assertThat(evidence.feedbackOn(run).getFirst().comment()).isEqualTo("half \uFFFD emoji\uFFFD");
  }

  @Test
  void onlyAStoreOpenedHereHasDurableEvidence() {
    assertThatThrownBy(() -> RunStores.deploymentEvidence(new InMemoryRunStore()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InMemoryRunStore")
        .hasMessageContaining("InMemoryDeploymentEvidence");
  }

  @Test
  void aClosedStoreSaysSo() {
    RunStore store = RunStores.open(url());
    DeploymentEvidence shared = RunStores.deploymentEvidence(store);
    store.close();

    assertThatThrownBy(() -> shared.currentMode("crm"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("is closed: reading the mode of workflow crm");
  }

  private int count(String table) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store/bridle.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
