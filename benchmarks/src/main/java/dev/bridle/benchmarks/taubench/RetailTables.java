package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The retail store's three tables as read from {@code retail_db/}, each a JSON object from id to
 * record. Shared by every run and never modified: a run changes its own {@link RetailDatabase}.
 */
record RetailTables(ObjectNode orders, ObjectNode users, ObjectNode products) {

  RetailTables {
    Objects.requireNonNull(orders, "orders");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(products, "products");
  }

  ObjectNode table(RetailDatabase.Table table) {
    return switch (table) {
      case ORDERS -> orders;
      case USERS -> users;
      case PRODUCTS -> products;
    };
  }
}
