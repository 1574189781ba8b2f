package dev.bridle.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreLocationTest {

  @Test
  void sqliteUrlsNameAFileAndTakeTheirParameters() {
    StoreLocation.Sqlite plain =
        (StoreLocation.Sqlite) StoreLocation.parse("sqlite:/var/bridle/b.db");
    assertThat(plain.file()).isEqualTo(Path.of("/var/bridle/b.db"));
    assertThat(plain.full()).isFalse();
    assertThat(plain.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(plain.display()).isEqualTo("sqlite:/var/bridle/b.db");

    StoreLocation.Sqlite jdbc =
        (StoreLocation.Sqlite)
            StoreLocation.parse(
                "jdbc:sqlite:/var/bridle/b.db?synchronous=full&busy-timeout-ms=100");
    assertThat(jdbc.file()).isEqualTo(Path.of("/var/bridle/b.db"));
    assertThat(jdbc.full()).isTrue();
    assertThat(jdbc.busyTimeout()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theDefaultStoreIsAFileUnderTheWorkingDirectory() {
    StoreLocation.Sqlite location =
        (StoreLocation.Sqlite) StoreLocation.parse(RunStores.DEFAULT_URL);

    assertThat(location.file()).isEqualTo(Path.of(".bridle", "bridle.db").toAbsolutePath());
  }

  @Test
  void postgresqlUrlsBecomeDriverUrlsWithoutBridlesParameters() {
    StoreLocation.Postgres jdbc =
        (StoreLocation.Postgres)
            StoreLocation.parse(
                "jdbc:postgresql://db:5433/bridle?user=b&password=p&max-pool-size=3&sslmode=require");
    assertThat(jdbc.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db:5433/bridle?user=b&password=p&sslmode=require");
    assertThat(jdbc.maxPoolSize()).isEqualTo(3);
    assertThat(jdbc.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(jdbc.display())
        .isEqualTo(
            "jdbc:postgresql://db:5433/bridle?user=b&password=***&max-pool-size=3&sslmode=require");

    StoreLocation.Postgres uri =
        (StoreLocation.Postgres)
            StoreLocation.parse(
                "postgresql://bridle:p%40ss:w0rd@db.internal/runs?connect-timeout-ms=900");
    assertThat(uri.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal/runs");
    assertThat(uri.driverProperties())
        .containsEntry("user", "bridle")
        .containsEntry("password", "p@ss:w0rd");
    assertThat(uri.maxPoolSize()).isEqualTo(10);
    assertThat(uri.connectTimeout()).isEqualTo(Duration.ofMillis(900));
    assertThat(uri.display())
        .isEqualTo("postgresql://bridle:***@db.internal/runs?connect-timeout-ms=900");

    StoreLocation.Postgres shortForm =
        (StoreLocation.Postgres) StoreLocation.parse("postgres://localhost:5432/bridle");
    assertThat(shortForm.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/bridle");
    assertThat(shortForm.driverProperties()).isEmpty();
  }

  @Test
  void anUnsupportedUrlIsAConfigurationErrorThatListsTheAcceptedForms() {
    assertThatThrownBy(() -> RunStores.open("mysql://root:hunter2@db/bridle"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "unsupported store URL 'mysql://root:***@db/bridle'; use one of these forms:")
        .hasMessageContaining("sqlite:PATH  or  jdbc:sqlite:PATH")
        .hasMessageContaining("jdbc:postgresql://HOST[:PORT]/DB")
        .hasMessageContaining("postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB")
        .message()
        .doesNotContain("hunter2");
    assertThatThrownBy(() -> RunStores.open(" "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("store URL is empty; use one of these forms:");
  }

  @Test
  void badParametersAreConfigurationErrorsThatNameTheRule() {
    assertThatThrownBy(() -> StoreLocation.parse("sqlite:b.db?synchronous=off"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("store URL parameter synchronous must be normal or full, but was 'off'");
    assertThatThrownBy(() -> StoreLocation.parse("sqlite:b.db?journal=wal"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "store URL 'sqlite:b.db?journal=wal' has unknown parameter 'journal'; known"
                + " parameters: busy-timeout-ms, synchronous");
    assertThatThrownBy(() -> StoreLocation.parse("jdbc:postgresql://db/b?max-pool-size=0"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "store URL parameter max-pool-size must be a whole number between 1 and 1000, but was"
                + " '0'");
    assertThatThrownBy(() -> StoreLocation.parse("sqlite::memory:"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("InMemoryRunStore");
    assertThatThrownBy(() -> StoreLocation.parse("sqlite:"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("names no file");
    assertThatThrownBy(() -> StoreLocation.parse("postgresql://db:5432/"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("names no database");
  }

  @Test
  void everySecretLookingParameterIsRedacted() {
    assertThat(
            StoreLocation.redact(
                "jdbc:postgresql://db/b?user=u&password=p1&sslpassword=p2&ssl=true&api_token=t3"))
        .isEqualTo(
            "jdbc:postgresql://db/b?user=u&password=***&sslpassword=***&ssl=true&api_token=***");
  }
}
