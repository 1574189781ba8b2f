package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.benchmarks.taubench.RetailDatabase.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the retail store's tools do, over one run's {@link RetailDatabase}: the behaviour of
 * τ-bench's retail tools as their descriptions, the policy wiki and the oracle ({@code
 * *.expected.jsonl}) show it, written for this benchmark.
 *
 * <p>Every write checks everything first ({@code checkX}, read-only, also the tool's precondition)
 * and then changes the records, so a refused call ({@link RetailRefusal}) changes nothing. Money is
 * computed as the oracle computed it: binary floating point, each sum rounded to the cent
 * (half-even on the exact binary value), so the records match to the last digit.
 */
final class RetailOperations {

  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final List<String> CANCEL_REASONS = List.of("no longer needed", "ordered by mistake");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final RetailDatabase db;

  RetailOperations(RetailDatabase db) {
    this.db = db;
  }

  /** A postal address, in the field order the store writes it. */
  record Address(
      String address1, String address2, String city, String state, String country, String zip) {

    ObjectNode toJson() {
      ObjectNode node = NODES.objectNode();
      node.put("address1", address1);
      node.put("address2", address2);
      node.put("city", city);
      node.put("state", state);
      node.put("country", country);
      node.put("zip", zip);
      return node;
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  String findUserIdByEmail(String email) {
    for (Map.Entry<String, JsonNode> user : users().entrySet()) {
      if (user.getValue().path("email").asText().equalsIgnoreCase(email)) {
        return user.getKey();
      }
    }
    throw new RetailRefusal("user not found");
  }

  String findUserIdByNameZip(String firstName, String lastName, String zip) {
    for (Map.Entry<String, JsonNode> user : users().entrySet()) {
      JsonNode profile = user.getValue();
      if (profile.path("name").path("first_name").asText().equalsIgnoreCase(firstName)
          && profile.path("name").path("last_name").asText().equalsIgnoreCase(lastName)
          && profile.path("address").path("zip").asText().equals(zip)) {
        return user.getKey();
      }
    }
    throw new RetailRefusal("user not found");
  }

  JsonNode orderDetails(String orderId) {
    return order(orderId);
  }

  JsonNode productDetails(String productId) {
    return db.find(Table.PRODUCTS, productId)
        .orElseThrow(() -> new RetailRefusal("product not found"));
  }

  JsonNode userDetails(String userId) {
    return user(userId);
  }

  /** Product name → product id, sorted by name. */
  JsonNode productTypes() {
    Map<String, String> byName = new TreeMap<>();
    for (JsonNode product : db.all(Table.PRODUCTS).values()) {
      byName.put(product.path("name").asText(), product.path("product_id").asText());
    }
    ObjectNode types = NODES.objectNode();
    byName.forEach(types::put);
    return types;
  }

  /** The expression's value rounded to the cent, written as Python writes a float. */
  String calculate(String expression) {
    return pythonFloat(cents(Arithmetic.evaluate(expression)));
  }

  String think(String thought) {
    return "";
  }

  String transferToHumanAgents(String summary) {
    return "Transfer successful";
  }

  // ---- what each write checks before it changes anything ------------------------------------
  //
  // Read-only: each throws the refusal the write would throw, and changes nothing. The tools run
  // them as their preconditions, before an approval is asked; each write runs its check again
  // first, so a call that reaches the store when the state has changed is still refused.

  JsonNode checkCancelPendingOrder(String orderId, String reason) {
    JsonNode order = order(orderId);
    requireStatus(order, PENDING, "cancelled");
    if (!CANCEL_REASONS.contains(reason)) {
      throw new RetailRefusal(
          "invalid reason '" + reason + "' (it must be one of " + CANCEL_REASONS + ")");
    }
    return order;
  }

  /** The price difference, rounded to the cent. */
  double checkExchangeDeliveredOrderItems(
      String orderId, List<String> itemIds, List<String> newItemIds, String paymentMethodId) {
    JsonNode order = order(orderId);
    requireStatus(order, DELIVERED, "exchanged");
    double difference = cents(priceDifference(order, itemIds, newItemIds));
    JsonNode method = paymentMethod(order, paymentMethodId);
    if (isGiftCard(method) && method.path("balance").asDouble() < difference) {
      throw new RetailRefusal("insufficient gift card balance to pay for the price difference");
    }
    return difference;
  }

  void checkModifyPendingOrderAddress(String orderId) {
    requireStatus(order(orderId), PENDING, "modified");
  }

  /** The price difference, unrounded. */
  double checkModifyPendingOrderItems(
      String orderId, List<String> itemIds, List<String> newItemIds, String paymentMethodId) {
    JsonNode order = order(orderId);
    requireStatus(order, PENDING, "modified");
    double difference = priceDifference(order, itemIds, newItemIds);
    JsonNode method = paymentMethod(order, paymentMethodId);
    if (isGiftCard(method) && method.path("balance").asDouble() < difference) {
      throw new RetailRefusal("insufficient gift card balance to pay for the new item");
    }
    return difference;
  }

  void checkModifyPendingOrderPayment(String orderId, String paymentMethodId) {
    JsonNode order = order(orderId);
    requireStatus(order, PENDING, "modified");
    JsonNode method = paymentMethod(order, paymentMethodId);
    JsonNode history = order.path("payment_history");
    if (history.size() != 1
        || !"payment".equals(history.get(0).path("transaction_type").asText())) {
      throw new RetailRefusal(
          "order " + orderId + " must have exactly one payment to change its payment method");
    }
    String current = history.get(0).path("payment_method_id").asText();
    if (current.equals(paymentMethodId)) {
      throw new RetailRefusal(
          "the new payment method must differ from the current one (" + current + ")");
    }
    double amount = history.get(0).path("amount").asDouble();
    if (isGiftCard(method) && method.path("balance").asDouble() < amount) {
      throw new RetailRefusal("insufficient gift card balance to pay for the order");
    }
  }

  void checkModifyUserAddress(String userId) {
    user(userId);
  }

  void checkReturnDeliveredOrderItems(
      String orderId, List<String> itemIds, String paymentMethodId) {
    JsonNode order = order(orderId);
    requireStatus(order, DELIVERED, "returned");
    JsonNode method = paymentMethod(order, paymentMethodId);
    String original = order.path("payment_history").path(0).path("payment_method_id").asText();
    if (!isGiftCard(method) && !paymentMethodId.equals(original)) {
      throw new RetailRefusal(
          "the refund must go to the original payment method ("
              + original
              + ") or a gift card, not "
              + paymentMethodId);
    }
    requireItems(order, itemIds);
  }

  // ---- writes --------------------------------------------------------------------------------

  JsonNode cancelPendingOrder(String orderId, String reason) {
    JsonNode order = checkCancelPendingOrder(orderId, reason);
    String userId = order.path("user_id").asText();
    Map<String, Double> refunds = netPayments(order);
    ObjectNode editable = db.edit(Table.ORDERS, orderId);
    ArrayNode history = (ArrayNode) editable.get("payment_history");
    refunds.forEach(
        (method, amount) -> {
          history.add(transaction("refund", amount, method));
          if (isGiftCard(userId, method)) {
            credit(userId, method, amount);
          }
        });
    editable.put("status", "cancelled");
    editable.put("cancel_reason", reason);
    return editable;
  }

  JsonNode exchangeDeliveredOrderItems(
      String orderId, List<String> itemIds, List<String> newItemIds, String paymentMethodId) {
    double difference =
        checkExchangeDeliveredOrderItems(orderId, itemIds, newItemIds, paymentMethodId);
    ObjectNode editable = db.edit(Table.ORDERS, orderId);
    editable.put("status", "exchange requested");
    editable.set("exchange_items", sortedArray(itemIds));
    editable.set("exchange_new_items", sortedArray(newItemIds));
    editable.put("exchange_payment_method_id", paymentMethodId);
    editable.put("exchange_price_difference", difference);
    return editable;
  }

  JsonNode modifyPendingOrderAddress(String orderId, Address address) {
    checkModifyPendingOrderAddress(orderId);
    ObjectNode editable = db.edit(Table.ORDERS, orderId);
    editable.set("address", address.toJson());
    return editable;
  }

  JsonNode modifyPendingOrderItems(
      String orderId, List<String> itemIds, List<String> newItemIds, String paymentMethodId) {
    double difference = checkModifyPendingOrderItems(orderId, itemIds, newItemIds, paymentMethodId);
    JsonNode order = order(orderId);
    JsonNode method = paymentMethod(order, paymentMethodId);
    String userId = order.path("user_id").asText();
    ObjectNode editable = db.edit(Table.ORDERS, orderId);
    ((ArrayNode) editable.get("payment_history"))
        .add(
            transaction(
                difference > 0 ? "payment" : "refund", Math.abs(difference), paymentMethodId));
    if (isGiftCard(method)) {
      credit(userId, paymentMethodId, -difference);
    }
    for (int i = 0; i < itemIds.size(); i++) {
      ObjectNode item = firstItem(editable, itemIds.get(i));
      JsonNode variant = variant(item.path("product_id").asText(), newItemIds.get(i));
      item.put("item_id", newItemIds.get(i));
      item.set("price", variant.get("price").deepCopy());
      item.set("options", variant.get("options").deepCopy());
    }
    editable.put("status", "pending (item modified)");
    return editable;
  }

  JsonNode modifyPendingOrderPayment(String orderId, String paymentMethodId) {
    checkModifyPendingOrderPayment(orderId, paymentMethodId);
    JsonNode order = order(orderId);
    JsonNode method = paymentMethod(order, paymentMethodId);
    JsonNode history = order.path("payment_history");
    String current = history.get(0).path("payment_method_id").asText();
    double amount = history.get(0).path("amount").asDouble();
    String userId = order.path("user_id").asText();
    ObjectNode editable = db.edit(Table.ORDERS, orderId);
    ArrayNode payments = (ArrayNode) editable.get("payment_history");
    payments.add(transaction("payment", amount, paymentMethodId));
    payments.add(transaction("refund", amount, current));
    if (isGiftCard(method)) {
      credit(userId, paymentMethodId, -amount);
    }
    if (isGiftCard(userId, current)) {
      credit(userId, current, amount);
    }
    return editable;
  }

  JsonNode modifyUserAddress(String userId, Address address) {
    checkModifyUserAddress(userId);
    ObjectNode editable = db.edit(Table.USERS, userId);
    editable.set("address", address.toJson());
    return editable;
  }

  JsonNode returnDeliveredOrderItems(String orderId, List<String> itemIds, String paymentMethodId) {
    checkReturnDeliveredOrderItems(orderId, itemIds, paymentMethodId);
    ObjectNode editable = db.edit(Table.ORDERS, orderId);
    editable.put("status", "return requested");
    editable.set("return_items", sortedArray(itemIds));
    editable.put("return_payment_method_id", paymentMethodId);
    return editable;
  }

  // ---- checks and helpers --------------------------------------------------------------------

  private JsonNode order(String orderId) {
    return db.find(Table.ORDERS, orderId).orElseThrow(() -> new RetailRefusal("order not found"));
  }

  private JsonNode user(String userId) {
    return db.find(Table.USERS, userId).orElseThrow(() -> new RetailRefusal("user not found"));
  }

  private Map<String, JsonNode> users() {
    return db.all(Table.USERS);
  }

  private static void requireStatus(JsonNode order, String status, String verb) {
    String actual = order.path("status").asText();
    if (!actual.equals(status)) {
      throw new RetailRefusal(
          "order "
              + order.path("order_id").asText()
              + " is '"
              + actual
              + "': only a "
              + status
              + " order can be "
              + verb);
    }
  }

  /** Every item id is in the order at least as many times as it is listed. */
  private static void requireItems(JsonNode order, List<String> itemIds) {
    Map<String, Integer> inOrder = new HashMap<>();
    order.path("items").forEach(i -> inOrder.merge(i.path("item_id").asText(), 1, Integer::sum));
    Map<String, Integer> asked = new HashMap<>();
    for (String id : itemIds) {
      if (asked.merge(id, 1, Integer::sum) > inOrder.getOrDefault(id, 0)) {
        throw new RetailRefusal(
            "item " + id + " is not in order " + order.path("order_id").asText() + " that often");
      }
    }
  }

  /**
   * What the new items cost more than the old ones (negative: less), summed in floating point and
   * not rounded: an exchange rounds it to the cent, an item change records it as it is (the oracle
   * holds amounts such as {@code 6.030000000000001}). Each new item must be an available variant of
   * the old item's product.
   */
  private double priceDifference(JsonNode order, List<String> itemIds, List<String> newItemIds) {
    requireItems(order, itemIds);
    if (itemIds.size() != newItemIds.size()) {
      throw new RetailRefusal(
          itemIds.size()
              + " items to change but "
              + newItemIds.size()
              + " new items: they must pair up");
    }
    double difference = 0;
    for (int i = 0; i < itemIds.size(); i++) {
      JsonNode item = firstItem(order, itemIds.get(i));
      JsonNode variant = variant(item.path("product_id").asText(), newItemIds.get(i));
      if (!variant.path("available").asBoolean()) {
        throw new RetailRefusal("new item " + newItemIds.get(i) + " is not available");
      }
      difference += variant.path("price").asDouble() - item.path("price").asDouble();
    }
    return difference;
  }

  private static ObjectNode firstItem(JsonNode order, String itemId) {
    for (JsonNode item : order.path("items")) {
      if (item.path("item_id").asText().equals(itemId)) {
        return (ObjectNode) item;
      }
    }
    throw new RetailRefusal(
        "item " + itemId + " is not in order " + order.path("order_id").asText());
  }

  private JsonNode variant(String productId, String itemId) {
    JsonNode variant = productDetails(productId).path("variants").get(itemId);
    if (variant == null) {
      throw new RetailRefusal("new item " + itemId + " is not a variant of product " + productId);
    }
    return variant;
  }

  /** The order's customer's payment method, or a refusal when the customer has no such one. */
  private JsonNode paymentMethod(JsonNode order, String paymentMethodId) {
    JsonNode method =
        user(order.path("user_id").asText()).path("payment_methods").get(paymentMethodId);
    if (method == null) {
      throw new RetailRefusal("payment method " + paymentMethodId + " not found");
    }
    return method;
  }

  private boolean isGiftCard(String userId, String paymentMethodId) {
    JsonNode method = user(userId).path("payment_methods").get(paymentMethodId);
    return method != null && isGiftCard(method);
  }

  private static boolean isGiftCard(JsonNode method) {
    return "gift_card".equals(method.path("source").asText());
  }

  /** Adds {@code amount} (negative: takes it) to a gift card's balance, to the cent. */
  private void credit(String userId, String giftCardId, double amount) {
    ObjectNode card =
        (ObjectNode) db.edit(Table.USERS, userId).path("payment_methods").get(giftCardId);
    card.put("balance", cents(card.path("balance").asDouble() + amount));
  }

  /** What each payment method paid net of refunds, for the methods that paid something. */
  private static Map<String, Double> netPayments(JsonNode order) {
    Map<String, Double> net = new LinkedHashMap<>();
    for (JsonNode entry : order.path("payment_history")) {
      double amount = entry.path("amount").asDouble();
      double signed = "refund".equals(entry.path("transaction_type").asText()) ? -amount : amount;
      net.merge(entry.path("payment_method_id").asText(), signed, Double::sum);
    }
    net.replaceAll((method, amount) -> cents(amount));
    net.values().removeIf(amount -> amount <= 0);
    return net;
  }

  private static ObjectNode transaction(String type, double amount, String paymentMethodId) {
    ObjectNode node = NODES.objectNode();
    node.put("transaction_type", type);
    node.put("amount", amount);
    node.put("payment_method_id", paymentMethodId);
    return node;
  }

  private static ArrayNode sortedArray(List<String> values) {
    ArrayNode array = NODES.arrayNode();
    new ArrayList<>(values).stream().sorted().forEach(array::add);
    return array;
  }

  /** Rounds to the cent as Python's {@code round(x, 2)} does: half-even on the exact value. */
  static double cents(double value) {
    return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** A double as Python's {@code str(float)} writes it (plain notation up to 1e16). */
  static String pythonFloat(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    }
    double magnitude = Math.abs(value);
    if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e16)) {
      return Double.toString(value).toLowerCase(Locale.ROOT);
    }
    String plain = new BigDecimal(Double.toString(value)).toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }
}
