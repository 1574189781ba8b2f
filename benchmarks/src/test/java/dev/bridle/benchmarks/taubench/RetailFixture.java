package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small retail store written for the tests, in the τ-bench folder layout: one customer with two
 * gift cards, a credit card and a PayPal account; a pending order paid by gift card, a delivered
 * one and a pending one paid by card; two products. Tests that need no shared data use it.
 */
final class RetailFixture {

  static final ObjectMapper JSON = new ObjectMapper();

  static final String USER = "ann_lee_1234";

  static final String USERS =
      """
      {"ann_lee_1234": {
        "name": {"first_name": "Ann", "last_name": "Lee"},
        "address": {"address1": "1 Main St", "address2": "", "city": "Austin", "country": "USA",
                    "state": "TX", "zip": "78701"},
        "email": "ann.lee@example.com",
        "payment_methods": {
          "gift_card_1": {"source": "gift_card", "balance": 100, "id": "gift_card_1"},
          "gift_card_2": {"source": "gift_card", "balance": 5, "id": "gift_card_2"},
          "credit_card_1": {"source": "credit_card", "brand": "visa", "last_four": "1111",
                            "id": "credit_card_1"},
          "paypal_1": {"source": "paypal", "id": "paypal_1"}},
        "orders": ["#W1", "#W2", "#W3"]}}
      """;

  static final String PRODUCTS =
      """
      {"P1": {"name": "Gaming Mouse", "product_id": "P1", "variants": {
         "100": {"item_id": "100", "options": {"color": "black"}, "available": true, "price": 100.1},
         "101": {"item_id": "101", "options": {"color": "white"}, "available": true, "price": 130.33},
         "102": {"item_id": "102", "options": {"color": "red"}, "available": false, "price": 90.0}}},
       "P2": {"name": "Electric Kettle", "product_id": "P2", "variants": {
         "200": {"item_id": "200", "options": {"capacity": "1L"}, "available": true, "price": 50.0},
         "201": {"item_id": "201", "options": {"capacity": "2L"}, "available": true, "price": 59.99}}}}
      """;

  static final String ORDERS =
      """
      {"#W1": {"order_id": "#W1", "user_id": "ann_lee_1234",
               "address": {"address1": "1 Main St", "address2": "", "city": "Austin",
                           "country": "USA", "state": "TX", "zip": "78701"},
               "items": [{"name": "Gaming Mouse", "product_id": "P1", "item_id": "100",
                          "price": 100.1, "options": {"color": "black"}}],
               "fulfillments": [], "status": "pending",
               "payment_history": [{"transaction_type": "payment", "amount": 100.1,
                                    "payment_method_id": "gift_card_1"}]},
       "#W2": {"order_id": "#W2", "user_id": "ann_lee_1234",
               "address": {"address1": "1 Main St", "address2": "", "city": "Austin",
                           "country": "USA", "state": "TX", "zip": "78701"},
               "items": [{"name": "Gaming Mouse", "product_id": "P1", "item_id": "100",
                          "price": 100.1, "options": {"color": "black"}},
                         {"name": "Electric Kettle", "product_id": "P2", "item_id": "200",
                          "price": 50.0, "options": {"capacity": "1L"}}],
               "fulfillments": [{"tracking_id": ["1"], "item_ids": ["100", "200"]}],
               "status": "delivered",
               "payment_history": [{"transaction_type": "payment", "amount": 150.1,
                                    "payment_method_id": "credit_card_1"}]},
       "#W3": {"order_id": "#W3", "user_id": "ann_lee_1234",
               "address": {"address1": "1 Main St", "address2": "", "city": "Austin",
                           "country": "USA", "state": "TX", "zip": "78701"},
               "items": [{"name": "Electric Kettle", "product_id": "P2", "item_id": "200",
                          "price": 50.0, "options": {"capacity": "1L"}}],
               "fulfillments": [], "status": "pending",
               "payment_history": [{"transaction_type": "payment", "amount": 50.0,
                                    "payment_method_id": "credit_card_1"}]}}
      """;

  private RetailFixture() {}

  static RetailTables tables() {
    try {
      return new RetailTables(
          (ObjectNode) JSON.readTree(ORDERS),
          (ObjectNode) JSON.readTree(USERS),
          (ObjectNode) JSON.readTree(PRODUCTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the store, a tool file with the schemas of the benchmark's own argument records, a
   * policy text and the given {@code dev} tasks and oracle rows into {@code folder}.
   */
  static Path writeFolder(Path folder, String devTasks, String devOracle) throws IOException {
    Files.createDirectories(folder.resolve(RetailData.DB));
    Files.writeString(folder.resolve(RetailData.DB).resolve("orders.json"), ORDERS);
    Files.writeString(folder.resolve(RetailData.DB).resolve("users.json"), USERS);
    Files.writeString(folder.resolve(RetailData.DB).resolve("products.json"), PRODUCTS);
    Files.writeString(folder.resolve(RetailData.WIKI), "Ask before you change anything.\n");
    Files.writeString(folder.resolve(RetailData.TOOLS), toolFile().toString());
    Files.writeString(RetailData.tasksFile(folder, "dev"), devTasks);
    Files.writeString(RetailData.oracleFile(folder, "dev"), devOracle);
    Files.writeString(RetailData.tasksFile(folder, "train"), "");
    Files.writeString(RetailData.oracleFile(folder, "train"), "");
    return folder;
  }

  /** {@code retail_tools.json} with the schema each argument record generates. */
  static ObjectNode toolFile() {
    ObjectNode file = JSON.createObjectNode();
    ArrayNode tools = file.putArray("tools");
    for (Map.Entry<String, Map.Entry<Class<?>, Effect>> tool : RetailTools.declared().entrySet()) {
      ObjectNode entry = tools.addObject();
      entry.put("type", "function");
      ObjectNode function = entry.putObject("function");
      function.put("name", tool.getKey());
      function.put("description", "The test store's " + tool.getKey() + ".");
      function.set("parameters", schemaOf(tool.getKey(), tool.getValue().getKey()));
      entry.put("x_mutates_state_heuristic", tool.getValue().getValue() == Effect.WRITE);
    }
    return file;
  }

  private static <A> ObjectNode schemaOf(String name, Class<A> arguments) {
    return Tool.builder(name, arguments)
        .description("schema only")
        .handler((args, context) -> "")
        .build()
        .schema();
  }
}
