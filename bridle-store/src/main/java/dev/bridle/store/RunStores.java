package dev.bridle.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bridle.core.BridleException;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.cluster.RunQueue;
import dev.bridle.core.cost.SpendStore;
import dev.bridle.core.journal.RunStore;
import dev.bridle.core.journal.StoreUnavailableException;
import dev.bridle.core.limits.RateLimiter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens durable {@link RunStore}s: SQLite, the embedded default, or PostgreSQL, the {@link
 * RunQueue} over them ({@link #openQueue(String)}), and the {@link KillSwitchStore kill switches}
 * in the same database ({@link #openKillSwitch(String)}, {@link #killSwitch(RunStore)}), and the
 * budgets' spending ({@link #spendStore(RunStore)}) and rate limits' buckets ({@link
 * #rateLimiter(RunStore)}) shared by every node on it. The schema is migrated on open, so the store
 * is ready to use.
 *
 * <pre>{@code
 * try (RunStore store = RunStores.open("sqlite:.bridle/bridle.db")) { ... }
 * try (RunStore store = RunStores.open("postgresql://bridle:secret@db:5432/bridle")) { ... }
 * }</pre>
 *
 * <p>The store URL forms:
 *
 * <ul>
 *   <li>{@code sqlite:PATH} or {@code jdbc:sqlite:PATH}: a file, created with its parent
 *       directories. Parameters: {@code synchronous=normal|full}, {@code busy-timeout-ms=N}.
 *   <li>{@code jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P&...]}, or {@code
 *       postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB[?...]} ({@code postgres://} too). Parameters:
 *       {@code max-pool-size=N} (default 10), {@code connect-timeout-ms=N} (default 5000); any
 *       other goes to the PostgreSQL driver (for example {@code sslmode=require}).
 * </ul>
 *
 * <h2>SQLite</h2>
 *
 * WAL journal, {@code synchronous=NORMAL}, foreign keys on, a busy timeout (5 s by default). One
 * writer connection serves every write of the store from a single thread (SQLite takes one writer
 * at a time anyway), and a small pool of connections reads alongside it. Several threads, and
 * several processes on one file, may use a store: writers take SQLite's lock with {@code BEGIN
 * IMMEDIATE} and wait for each other up to the busy timeout, then fail with {@link
 * StoreUnavailableException}.
 *
 * <p>Durability with {@code synchronous=NORMAL} in WAL mode: a committed append survives the crash
 * or kill of the process; an operating-system crash or power loss may lose the last transactions
 * before the next checkpoint (never corrupt the file). {@code ?synchronous=full} syncs the WAL on
 * every commit and survives those too, at the cost of an fsync per commit (batched by group commit,
 * see below).
 *
 * <h2>PostgreSQL</h2>
 *
 * A HikariCP pool (at most 10 connections by default, of which up to 4 write); each write is one
 * short transaction; events are stored as JSON text. A connection that gets no answer for 60 s
 * fails (the driver's {@code socketTimeout}, which the URL can set). The events of a group commit
 * go to the server as multi-row inserts (the driver's {@code reWriteBatchedInserts}, on unless the
 * URL turns it off). Many nodes can share one database.
 *
 * <h2>Group commit</h2>
 *
 * Appends from many threads that arrive together are committed in one transaction, each caller
 * still returning only once its own event is committed and failing only on its own conflict; see
 * {@code GroupCommitWriter}.
 */
public final class RunStores {

  /** The default SQLite file, relative to the working directory. */
  public static final String DEFAULT_PATH = ".bridle/bridle.db";

  /** The default store URL: {@code sqlite:.bridle/bridle.db}. */
  public static final String DEFAULT_URL = "sqlite:" + DEFAULT_PATH;

  private static final int SQLITE_READ_CONNECTIONS = 4;

  private RunStores() {}

  /** The SQLite store at {@link #DEFAULT_PATH} under the working directory. */
  public static RunStore openDefault() {
    return open(DEFAULT_URL);
  }

  /**
   * Opens the store at {@code url}, creating and migrating its schema as needed.
   *
   * @throws ConfigurationException if the URL is not one of the accepted forms
   * @throws StoreUnavailableException if the database cannot be reached or written
   */
  public static RunStore open(String url) {
    if (url == null || url.isBlank()) {
      throw new ConfigurationException(
          "store URL is empty; use one of these forms:\n" + StoreLocation.ACCEPTED_FORMS);
    }
    return open(url, GroupCommitWriter.MAX_BATCH);
  }

  /**
   * Opens the store at {@code url} like {@link #open(String)}, with the run queue over it: the runs
   * submitted to it, and the leases that give each to one node at a time (DESIGN §7). The queue's
   * {@link RunQueue#store() store()} is the opened store; closing it closes the queue too.
   *
   * <pre>{@code
   * RunQueue queue = RunStores.openQueue("postgresql://bridle:secret@db:5432/bridle");
   * try (RunStore store = queue.store();
   *     Worker worker = Worker.builder().nodeId("node-1").queue(queue)...build().start()) { ... }
   * }</pre>
   *
   * <p>On PostgreSQL any number of nodes share the queue; runs are claimed with {@code FOR UPDATE
   * SKIP LOCKED}. On SQLite the processes on one file take turns at its write lock. An append
   * through {@link RunQueue#fenced(dev.bridle.core.cluster.Lease) fenced(lease)} checks the run's
   * lease epoch in its own transaction, within group commit.
   *
   * @throws ConfigurationException if the URL is not one of the accepted forms
   * @throws StoreUnavailableException if the database cannot be reached or written
   */
  public static RunQueue openQueue(String url) {
    if (url == null || url.isBlank()) {
      throw new ConfigurationException(
          "store URL is empty; use one of these forms:\n" + StoreLocation.ACCEPTED_FORMS);
    }
    JdbcRunStore store = open(url, GroupCommitWriter.MAX_BATCH);
    return new JdbcRunQueue(store, store.dialect());
  }

  /**
   * Opens the kill switches kept in the database at {@code url}, the database of the run store at
   * that URL, with connections of their own (migrating the schema like {@link #open(String)}). For
   * an operator's tool such as {@code bridle kill}; a node that has the store open already takes
   * {@link #killSwitch(RunStore)} and shares its connections. Closing the kill switch closes its
   * connections.
   *
   * <pre>{@code
   * try (KillSwitchStore switches = RunStores.openKillSwitch("sqlite:.bridle/bridle.db")) {
   *   switches.kill(KillSwitch.Scope.AGENT, "agent:refunds@4", "ops:lee", "INC-2291");
   * }
   * }</pre>
   *
   * @throws ConfigurationException if the URL is not one of the accepted forms
   * @throws StoreUnavailableException if the database cannot be reached or written
   */
  public static KillSwitchStore openKillSwitch(String url) {
    if (url == null || url.isBlank()) {
      throw new ConfigurationException(
          "store URL is empty; use one of these forms:\n" + StoreLocation.ACCEPTED_FORMS);
    }
    return new JdbcKillSwitch(open(url, GroupCommitWriter.MAX_BATCH), Clock.systemUTC(), true);
  }

  /**
   * The kill switches kept in the database of {@code store}, over its connections (on SQLite its
   * one writer), timed by the system clock. Closing the kill switch leaves the store open; closing
   * the store makes the kill switch fail with {@link StoreUnavailableException}.
   *
   * @param store a store opened here, or the {@link RunQueue#store() store()} of a queue opened
   *     here
   * @throws IllegalArgumentException if {@code store} was not opened by {@link RunStores} (an
   *     in-memory store has {@link dev.bridle.core.control.InMemoryKillSwitch} instead)
   */
  public static KillSwitchStore killSwitch(RunStore store) {
    if (!(store instanceof JdbcRunStore jdbc)) {
      throw new IllegalArgumentException(
          "kill switches need a store opened by RunStores.open or RunStores.openQueue, but got "
              + (store == null ? "null" : store.getClass().getName())
              + "; use dev.bridle.core.control.InMemoryKillSwitch for an in-memory store");
    }
    return new JdbcKillSwitch(jdbc, Clock.systemUTC(), false);
  }

  /**
   * The quality breakers kept in the database of {@code store} (DESIGN §5), over its connections,
   * timed by the system clock: every node of the database sees a breaker that tripped on one of
   * them, and an operator's close. Closing the store makes them fail with {@link
   * StoreUnavailableException}.
   *
   * <pre>{@code
   * QualityBreaker breaker = QualityBreaker.builder().store(RunStores.qualityBreakers(store)).build();
   * }</pre>
   *
   * @param store a store opened here, or the {@link RunQueue#store() store()} of a queue opened
   *     here
   * @throws IllegalArgumentException if {@code store} was not opened by {@link RunStores} (an
   *     in-memory store has {@link dev.bridle.core.control.InMemoryQualityBreakerStore} instead)
   */
  public static dev.bridle.core.control.QualityBreakerStore qualityBreakers(RunStore store) {
    if (!(store instanceof JdbcRunStore jdbc)) {
      throw new IllegalArgumentException(
          "quality breakers need a store opened by RunStores.open or RunStores.openQueue, but got "
              + (store == null ? "null" : store.getClass().getName())
              + "; use dev.bridle.core.control.InMemoryQualityBreakerStore for an in-memory store");
    }
    return new JdbcQualityBreakerStore(jdbc, Clock.systemUTC());
  }

  /**
   * The spending of budgets kept in the database of {@code store} ({@code spend_totals}), over its
   * connections, so that a budget per user or per workflow holds across every process and node on
   * that database. Each add is one write transaction, atomic on both databases; dollars are exact
   * decimals. It needs no closing; closing the store makes it fail with {@link
   * StoreUnavailableException}.
   *
   * <pre>{@code
   * BudgetLedger ledger = BudgetLedger.of(budgets, RunStores.spendStore(store), Clock.systemUTC());
   * }</pre>
   *
   * @param store a store opened here, or the {@link RunQueue#store() store()} of a queue opened
   *     here
   * @throws IllegalArgumentException if {@code store} was not opened by {@link RunStores} (an
   *     in-memory store has {@link dev.bridle.core.cost.InMemorySpendStore} instead)
   */
  public static SpendStore spendStore(RunStore store) {
    return new JdbcSpendStore(
        jdbc(store, "a spend store", "dev.bridle.core.cost.InMemorySpendStore"));
  }

  /**
   * The rate limits' token buckets kept in the database of {@code store} ({@code rate_buckets}),
   * timed by the system clock, so that a limit holds across every process and node on that
   * database. See {@link #rateLimiter(RunStore, Clock)}.
   *
   * @throws IllegalArgumentException if {@code store} was not opened by {@link RunStores}
   */
  public static RateLimiter rateLimiter(RunStore store) {
    return rateLimiter(store, Clock.systemUTC());
  }

  /**
   * The rate limits' token buckets kept in the database of {@code store}, timed by {@code clock}:
   * Bucket4j buckets written by compare-and-swap over the store's connections (on SQLite through
   * its one writer). Each bucket is configured by its {@link dev.bridle.core.limits.RateLimit}: its
   * capacity, refilled evenly over its period. It needs no closing; closing the store makes it fail
   * with {@link StoreUnavailableException}.
   *
   * <pre>{@code
   * RateLimits limits = new RateLimits(workflow.rateLimits(), RunStores.rateLimiter(store));
   * }</pre>
   *
   * @param clock the time of this node; every node's clock should agree to well within a refill
   *     interval
   * @throws IllegalArgumentException if {@code store} was not opened by {@link RunStores} (an
   *     in-memory store has {@link dev.bridle.core.limits.LocalRateLimiter} instead)
   */
  public static RateLimiter rateLimiter(RunStore store, Clock clock) {
    return new JdbcRateLimiter(
        jdbc(store, "a shared rate limiter", "dev.bridle.core.limits.LocalRateLimiter"),
        Objects.requireNonNull(clock, "clock"));
  }

  /**
   * The deployment evidence kept in the database of {@code store} (DESIGN §4, §8): what humans did
   * about shadow runs, feedback on runs, evaluation suite results and the log of mode changes, over
   * its connections, shared by every node on that database. It needs no closing; closing the store
   * makes it fail with {@link StoreUnavailableException}.
   *
   * <pre>{@code
   * Deployment deployment =
   *     new Deployment(store, RunStores.deploymentEvidence(store), Clock.systemUTC());
   * }</pre>
   *
   * @param store a store opened here, or the {@link RunQueue#store() store()} of a queue opened
   *     here
   * @throws IllegalArgumentException if {@code store} was not opened by {@link RunStores} (an
   *     in-memory store has {@link dev.bridle.core.deploy.InMemoryDeploymentEvidence} instead)
   */
  public static dev.bridle.core.deploy.DeploymentEvidence deploymentEvidence(RunStore store) {
    return new JdbcDeploymentEvidence(
        jdbc(store, "deployment evidence", "dev.bridle.core.deploy.InMemoryDeploymentEvidence"));
  }

  /**
   * The pool that {@code store} reads from, for a component that keeps its own tables in the same
   * database (such as the HTTP server's API tokens). On SQLite its connections have the store's
   * busy timeout (5 s unless the URL says otherwise), so a write through them waits for the store's
   * writer, in this process or another, rather than failing at once; keep such writes short and in
   * auto-commit, since a transaction that reads first and writes later can still fail with {@code
   * SQLITE_BUSY}. The pool belongs to the store: do not close it; closing the store closes it.
   *
   * @return empty for a store not opened by {@link RunStores} (an in-memory one)
   */
  public static Optional<DataSource> dataSource(RunStore store) {
    return store instanceof JdbcRunStore jdbc ? Optional.of(jdbc.reads()) : Optional.empty();
  }

  private static JdbcRunStore jdbc(RunStore store, String what, String inMemoryAlternative) {
    if (!(store instanceof JdbcRunStore jdbc)) {
      throw new IllegalArgumentException(
          what
              + " needs a store opened by RunStores.open or RunStores.openQueue, but got "
              + (store == null ? "null" : store.getClass().getName())
              + "; use "
              + inMemoryAlternative
              + " for an in-memory store");
    }
    return jdbc;
  }

  /**
   * {@link #open(String)} with at most {@code maxBatch} appends per transaction (1: no group
   * commit).
   */
  static JdbcRunStore open(String url, int maxBatch) {
    return switch (StoreLocation.parse(url)) {
      case StoreLocation.Sqlite sqlite -> openSqlite(sqlite, maxBatch);
      case StoreLocation.Postgres postgres -> openPostgres(postgres, maxBatch);
    };
  }

  private static JdbcRunStore openSqlite(StoreLocation.Sqlite location, int maxBatch) {
    String store = location.display();
    Path parent = location.file().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "store " + store + " is unavailable: creating directory " + parent + " failed: " + e, e);
    }
    migrate(store, Dialect.SQLITE, sqlite(location, true));
    SQLiteDataSource writes = sqlite(location, false);
    HikariConfig readConfig = new HikariConfig();
    readConfig.setPoolName("bridle-store-sqlite-reads");
    readConfig.setDataSource(sqlite(location, false));
    readConfig.setMaximumPoolSize(SQLITE_READ_CONNECTIONS);
    readConfig.setMinimumIdle(1);
    HikariDataSource reads = pool(store, readConfig);
    return new JdbcRunStore(
        store,
        Dialect.SQLITE,
        WriteConnections.single(writes, location.file()),
        1,
        maxBatch,
        reads,
        reads::close);
  }

  /**
   * A data source for the SQLite file.
   *
   * @param immediate transactions begun by the driver take the write lock at once (for Flyway,
   *     whose migrations then wait for another process's instead of failing on its lock)
   */
  static SQLiteDataSource sqlite(StoreLocation.Sqlite location, boolean immediate) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        location.full() ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout((int) location.busyTimeout().toMillis());
    config.enforceForeignKeys(true);
    if (immediate) {
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + location.file());
    return dataSource;
  }

  private static JdbcRunStore openPostgres(StoreLocation.Postgres location, int maxBatch) {
    String store = location.display();
    HikariConfig config = new HikariConfig();
    config.setPoolName("bridle-store-postgresql");
    config.setJdbcUrl(location.jdbcUrl());
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", "bridle");
    // A database that stops answering (a network partition) fails a statement after a minute
    // rather than hanging the run; a socketTimeout parameter in the URL overrides this.
    properties.setProperty("socketTimeout", "60");
    // A group commit inserts its events as one batch: the driver sends it as multi-row INSERTs,
    // which the server plans and executes once per chunk rather than once per event.
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.putAll(location.driverProperties());
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(location.maxPoolSize());
    config.setMinimumIdle(Math.min(2, location.maxPoolSize()));
    config.setConnectionTimeout(location.connectTimeout().toMillis());
    config.setInitializationFailTimeout(location.connectTimeout().toMillis());
    HikariDataSource pool = pool(store, config);
    try {
      migrate(store, Dialect.POSTGRESQL, pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    int writerThreads = Math.max(1, Math.min(4, location.maxPoolSize() / 2));
    return new JdbcRunStore(
        store,
        Dialect.POSTGRESQL,
        WriteConnections.pooled(pool),
        writerThreads,
        maxBatch,
        pool,
        pool::close);
  }

  private static HikariDataSource pool(String store, HikariConfig config) {
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      SQLException cause = sqlCause(e);
      throw new StoreUnavailableException(
          "store "
              + store
              + " is unavailable: connecting failed: "
              + StoreFailure.detail(cause == null ? e : cause),
          e);
    }
  }

  private static void migrate(String store, Dialect dialect, javax.sql.DataSource dataSource) {
    try {
      Migrations.migrate(dataSource, dialect);
    } catch (FlywayException e) {
      SQLException cause = sqlCause(e);
      if (cause != null) {
        throw StoreFailure.of(store, dialect, "migrating the schema", cause).toException();
      }
      throw new BridleException(
          "store " + store + ": migrating the schema failed: " + e.getMessage(), e);
    }
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql) {
        return sql;
      }
    }
    return null;
  }
}
