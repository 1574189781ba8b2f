package dev.bridle.store;

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
 * <p>The history table is {@code bridle_schema_history}, so that Bridle can share a database (and a
 * PostgreSQL schema) with an application that uses Flyway itself; on such a non-empty schema Flyway
 * baselines at version 0 and applies Bridle's scripts from V1.
 */
final class Migrations {

  static final String LOCATION = "classpath:dev/bridle/store/migration";
  static final String HISTORY_TABLE = "bridle_schema_history";

  private Migrations() {}

  static void migrate(DataSource dataSource) {
    Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations(LOCATION)
        .table(HISTORY_TABLE)
        .failOnMissingLocations(true)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
  }
}
