package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One run's copy of the retail store: it reads the shared {@link RetailTables} and copies a record
 * the first time a tool changes it, so a run costs only the records it touches and the base stays
 * as read. {@link #changes()} is the set of records whose content differs from the base, in the
 * oracle's shape.
 *
 * <p>Records returned by {@link #find} must not be modified; {@link #edit} returns the run's own
 * copy. A run's tool calls come one at a time, so no locking is needed.
 */
final class RetailDatabase {

  /** The store's tables, named as in {@code retail_db/} and the oracle. */
  enum Table {
    ORDERS,
    USERS,
    PRODUCTS;

    /**
     * The name in {@code retail_db/} and in the oracle: {@code orders}, {@code users}, {@code
     * products}.
     */
    String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final RetailTables base;
  private final Map<Table, Map<String, ObjectNode>> edited = new EnumMap<>(Table.class);

  RetailDatabase(RetailTables base) {
    this.base = base;
    for (Table table : Table.values()) {
      edited.put(table, new LinkedHashMap<>());
    }
  }

  /** The record as this run sees it; do not modify it. */
  Optional<JsonNode> find(Table table, String id) {
    ObjectNode own = edited.get(table).get(id);
    if (own != null) {
      return Optional.of(own);
    }
    return Optional.ofNullable(base.table(table).get(id));
  }

  /** This run's modifiable copy of an existing record. */
  ObjectNode edit(Table table, String id) {
    return edited
        .get(table)
        .computeIfAbsent(
            id,
            key -> {
              JsonNode original = base.table(table).get(key);
              if (!(original instanceof ObjectNode record)) {
                throw new IllegalStateException("no " + table.jsonName() + " record " + key);
              }
              return record.deepCopy();
            });
  }

  /** Every record of a table as this run sees it, by id in file order; do not modify them. */
  Map<String, JsonNode> all(Table table) {
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> row : base.table(table).properties()) {
      ObjectNode own = edited.get(table).get(row.getKey());
      rows.put(row.getKey(), own == null ? row.getValue() : own);
    }
    return rows;
  }

  /**
   * {@code table → id → record} for every record whose content differs from the base (numbers by
   * value); a table without changes is left out, so no change at all is {@code {}}.
   */
  ObjectNode changes() {
    ObjectNode changes = JsonNodeFactory.instance.objectNode();
    for (Table table : Table.values()) {
      ObjectNode rows = JsonNodeFactory.instance.objectNode();
      edited
          .get(table)
          .forEach(
              (id, record) -> {
                if (!JsonEquality.equal(record, base.table(table).get(id))) {
                  rows.set(id, record.deepCopy());
                }
              });
      if (!rows.isEmpty()) {
        changes.set(table.jsonName(), rows);
      }
    }
    return changes;
  }
}
