package dev.bridle.store;

import static dev.bridle.store.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.deploy.DeploymentEvidence;
import dev.bridle.core.deploy.ModeChange;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.policy.Mode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment evidence contract on a real PostgreSQL (embedded binaries), one server for the
 * class: two nodes are two stores, each with its own pool and writer threads.
 */
class PostgresDeploymentEvidenceContractTest extends DeploymentEvidenceContract {

  private static EmbeddedPostgres postgres;

  private final List<RunStore> others = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private static String url() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
  }

  /** Opens (migrating on the first test), then empties the tables. */
  @Override
  protected RunStore openRuns() throws SQLException {
    RunStore store = RunStores.open(url());
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "TRUNCATE runs, events, snapshots, shadow_decisions, run_feedback, evaluation_results, mode_changes");
    }
    return store;
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
  void aModeChangeIsARowWithItsTimeInNanosecondsAndItsForcedFlag() throws SQLException {
    evidence.changeMode(
        new ModeChange.Request(
            "crm",
            Mode.AUTONOMOUS,
            Optional.of(Mode.SUPERVISED),
            "ops:lee",
            "INC-88",
            true,
            "version 3 supports SUPERVISED",
            at(3)));

    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT seq, workflow, from_mode, to_mode, changed_by, reason, forced, changed_at"
                    + " FROM mode_changes")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo("crm");
      assertThat(rs.getString(3)).isEqualTo("SUPERVISED");
      assertThat(rs.getString(4)).isEqualTo("AUTONOMOUS");
      assertThat(rs.getString(5)).isEqualTo("ops:lee");
      assertThat(rs.getString(6)).isEqualTo("INC-88");
      assertThat(rs.getInt(7)).isEqualTo(1);
      assertThat(rs.getLong(8)).isEqualTo(Times.toNanos(at(3)));
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void ratingsOutsideOneToFiveAreRefusedByTheDatabaseToo() throws SQLException {
    started("r1", "crm", "3");
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "INSERT INTO run_feedback VALUES ('r1', 'bob', 'crm', '3', 6, '', 0)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("rating");
    }
  }
}
