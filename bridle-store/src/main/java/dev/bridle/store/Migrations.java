package dev.bridle.store;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a database's schema up to date with Flyway, on every open (a no-op when it is current).
 *
 * <p><b>One set of migrations, written in the SQL that SQLite and PostgreSQL share</b>, in {@code
 * dev/bridle/store/migration} (not Flyway's default {@code db/migration}, so that an application's
 * own scripts on the classpath are never picked up). We chose this over per-vendor scripts
 * (Flyway's {@code {vendor}} location placeholder) because two copies of a schema drift apart, and
 * the subset is enough: {@code TEXT}, {@code BIGINT}, {@code INTEGER}, primary and foreign keys
 * with {@code ON DELETE CASCADE}, plain indexes; and in the statements {@code INSERT ... ON
 * CONFLICT}, which both support. The few real differences (row locks, transaction control, text
 * ordering, error codes) live in code, in {@link Dialect}. Should a later migration need vendor
 * syntax, that one version can go to {@code migration/sqlite} and {@code migration/postgresql}
 * through an extra {@code {vendor}} location without splitting the rest.
 *
 * <p>A column type that the two spell differently comes from a Flyway placeholder set here per
 * database ({@link #placeholders}): {@code exact_decimal} (PostgreSQL {@code NUMERIC}, SQLite
 * {@code TEXT}: SQLite has no exact decimal type) and {@code bytes} ({@code BYTEA}, {@code BLOB}).
 * V1 to V4 use none.
 *
 * <p>The history table is {@code bridle_schema_history}, so that Bridle can share a database (and a
 * PostgreSQL schema) with an application that uses Flyway itself; on such a non-empty schema Flyway
 * baselines at version 0 and applies Bridle's scripts from V1.
 */
final class Migrations {

  static final String LOCATION = "classpath:dev/bridle/store/migration";
  static final String HISTORY_TABLE = "bridle_schema_history";

  private Migrations() {}

  static void migrate(DataSource dataSource, Dialect dialect) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .placeholders(placeholders(dialect))
        .table(HISTORY_TABLE)
        .failOnMissingLocations(true)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }

  /** The column types the scripts name by placeholder, for {@code dialect}. */
  static Map<String, String> placeholders(Dialect dialect) {
    return switch (dialect) {
      case SQLITE -> Map.of("exact_decimal", "TEXT", "bytes", "BLOB");
      case POSTGRESQL -> Map.of("exact_decimal", "NUMERIC", "bytes", "BYTEA");
    };
  }
}
