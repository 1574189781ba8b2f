package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.control.QualityBreaker;
import dev.bridle.core.control.QualityBreakerSettings;
import dev.bridle.core.control.QualityBreakerStore;
import dev.bridle.core.control.QualitySample;
import dev.bridle.core.control.QualitySignal;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quality breaker store contract on SQLite: two nodes are two stores opened on one file. */
class SqliteQualityBreakerStoreContractTest extends QualityBreakerStoreContract {

  @TempDir Path directory;

  private final List<RunStore> opened = new ArrayList<>();

  private String url() {
    return "sqlite:" + directory.resolve("store/bridle.db");
  }

  @Override
  protected QualityBreakerStore open(Clock clock) {
    JdbcRunStore store = RunStores.open(url(), GroupCommitWriter.MAX_BATCH);
    opened.add(store);
    return new JdbcQualityBreakerStore(store, clock);
  }

  @Override
  protected QualityBreakerStore openAnotherNode(Clock clock) {
    return open(clock);
  }

  @AfterEach
  void closeTheRunStores() {
    opened.forEach(RunStore::close);
  }

  @Test
  void theBreakersAndTheLogOutliveTheProcessThatWroteThem() {
    breakers.open(REFUNDS, "ops:lee", "INC-88");
    opened.forEach(RunStore::close);

    try (RunStore reopened = RunStores.open(url())) {
      QualityBreaker breaker =
          QualityBreaker.builder().store(RunStores.qualityBreakers(reopened)).build();
      assertThat(breaker.admit(REFUNDS)).isPresent();
      assertThat(breaker.history(REFUNDS, 10)).hasSize(1);
      assertThat(breaker.store().toString()).isEqualTo("QualityBreakerStore[" + url() + "]");
    }
  }

  @Test
  void theSamplesTableKeepsNoMoreThanTheWindow() throws Exception {
    QualityBreakerSettings settings =
        QualityBreakerSettings.DEFAULT.withMinimumSamples(3).withWindowSize(3);
    for (int i = 1; i <= 10; i++) {
      clock.set(Events.at(i));
      breakers.record(
          REFUNDS,
          QualitySample.ofRun(RunId.of("r" + i), clock.instant(), QualitySignal.PASSED),
          settings);
    }
    assertThat(sampleRows()).isEqualTo(3);

    clock.set(Events.at(11));
    breakers.open(REFUNDS, "ops:lee", "");
    breakers.close(REFUNDS, "ops:lee", "");
    assertThat(sampleRows()).as("a close drops the window").isZero();
  }

  @Test
  void onlyAStoreOpenedHereHasDurableBreakers() {
    assertThatThrownBy(() -> RunStores.qualityBreakers(new InMemoryRunStore()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("InMemoryRunStore")
        .hasMessageContaining("InMemoryQualityBreakerStore");
    assertThatThrownBy(() -> RunStores.qualityBreakers(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClosedStoreSaysSo() {
    RunStore store = RunStores.open(url());
    QualityBreakerStore shared = RunStores.qualityBreakers(store);
    store.close();

    assertThatThrownBy(() -> shared.status(REFUNDS))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("is closed: reading the quality breaker of workflow refunds");
  }

  private int sampleRows() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store/bridle.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM quality_samples")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
