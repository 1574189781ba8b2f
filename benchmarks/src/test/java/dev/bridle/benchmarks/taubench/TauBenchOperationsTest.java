package dev.bridle.benchmarks.taubench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.benchmarks.taubench.RetailOperations.Address;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store's operations on the {@link RetailFixture} store, one run's copy at a time. */
class TauBenchOperationsTest {

  private RetailTables base;
  private RetailDatabase db;
  private RetailOperations store;

  @BeforeEach
  void openStore() {
    base = RetailFixture.tables();
    db = new RetailDatabase(base);
    store = new RetailOperations(db);
  }

  @Test
  void cancellingAGiftCardOrderRefundsTheCardAtOnce() {
    JsonNode order = store.cancelPendingOrder("#W1", "no longer needed");

    assertThat(order.path("status").asText()).isEqualTo("cancelled");
    assertThat(order.path("cancel_reason").asText()).isEqualTo("no longer needed");
    assertThat(order.path("payment_history").get(1).toString())
        .isEqualTo(
            "{\"transaction_type\":\"refund\",\"amount\":100.1,"
                + "\"payment_method_id\":\"gift_card_1\"}");
    assertThat(balance("gift_card_1")).isEqualTo(200.1);
    assertThat(changedIds()).isEqualTo("{orders=[#W1], users=[ann_lee_1234]}");
  }

  @Test
  void aRefusedCallChangesNothing() {
    assertThatThrownBy(() -> store.cancelPendingOrder("#W2", "no longer needed"))
        .isInstanceOf(RetailRefusal.class)
        .hasMessage("order #W2 is 'delivered': only a pending order can be cancelled");
    assertThatThrownBy(() -> store.cancelPendingOrder("#W1", "changed my mind"))
        .hasMessageStartingWith("invalid reason 'changed my mind'");
    assertThatThrownBy(
            () ->
                store.modifyPendingOrderItems("#W3", List.of("200"), List.of("201"), "gift_card_2"))
        .hasMessage("insufficient gift card balance to pay for the new item");
    assertThatThrownBy(
            () ->
                store.modifyPendingOrderItems("#W1", List.of("100"), List.of("102"), "gift_card_1"))
        .hasMessage("new item 102 is not available");
    assertThatThrownBy(
            () ->
                store.modifyPendingOrderItems("#W1", List.of("100"), List.of("200"), "gift_card_1"))
        .hasMessage("new item 200 is not a variant of product P1");
    assertThatThrownBy(
            () ->
                store.exchangeDeliveredOrderItems(
                    "#W2", List.of("100", "100"), List.of("101", "101"), "credit_card_1"))
        .hasMessage("item 100 is not in order #W2 that often");
    assertThatThrownBy(() -> store.modifyPendingOrderPayment("#W3", "gift_card_2"))
        .hasMessage("insufficient gift card balance to pay for the order");
    assertThatThrownBy(() -> store.modifyPendingOrderPayment("#W3", "credit_card_1"))
        .hasMessageStartingWith("the new payment method must differ");
    assertThatThrownBy(() -> store.returnDeliveredOrderItems("#W2", List.of("100"), "paypal_1"))
        .hasMessageStartingWith("the refund must go to the original payment method");
    assertThatThrownBy(() -> store.orderDetails("#W9")).hasMessage("order not found");

    assertThat(db.changes().isEmpty()).isTrue();
  }

  @Test
  void changingItemsRecordsTheUnroundedDifferenceAndChargesTheGiftCardToTheCent() {
    JsonNode order =
        store.modifyPendingOrderItems("#W1", List.of("100"), List.of("101"), "gift_card_1");

    JsonNode payment = order.path("payment_history").get(1);
    assertThat(payment.path("transaction_type").asText()).isEqualTo("payment");
    // what the oracle holds too: the float sum, not rounded (30.229999999999997)
    assertThat(payment.path("amount").doubleValue()).isEqualTo(130.33 - 100.1).isNotEqualTo(30.23);
    assertThat(balance("gift_card_1")).isEqualTo(69.77);
    assertThat(order.path("items").get(0).path("item_id").asText()).isEqualTo("101");
    assertThat(order.path("items").get(0).path("price").doubleValue()).isEqualTo(130.33);
    assertThat(order.path("items").get(0).path("options").toString())
        .isEqualTo("{\"color\":\"white\"}");
    assertThat(order.path("status").asText()).isEqualTo("pending (item modified)");
    assertThatThrownBy(
            () ->
                store.modifyPendingOrderItems("#W1", List.of("101"), List.of("100"), "gift_card_1"))
        .hasMessage("order #W1 is 'pending (item modified)': only a pending order can be modified");
  }

  @Test
  void aRecordRewrittenWithTheSameValuesIsNotAChange() {
    // the same item again: a refund of 0.0 on the order, the gift card rewritten as 100.0
    store.modifyPendingOrderItems("#W1", List.of("100"), List.of("100"), "gift_card_1");

    assertThat(balance("gift_card_1")).isEqualTo(100.0);
    assertThat(changedIds()).isEqualTo("{orders=[#W1]}");
  }

  @Test
  void anExchangeRoundsTheDifferenceAndTouchesNoBalance() {
    JsonNode order =
        store.exchangeDeliveredOrderItems(
            "#W2", List.of("200", "100"), List.of("201", "101"), "gift_card_1");

    assertThat(order.path("status").asText()).isEqualTo("exchange requested");
    assertThat(order.path("exchange_items").toString()).isEqualTo("[\"100\",\"200\"]");
    assertThat(order.path("exchange_new_items").toString()).isEqualTo("[\"101\",\"201\"]");
    assertThat(order.path("exchange_price_difference").doubleValue()).isEqualTo(40.22);
    assertThat(order.path("exchange_payment_method_id").asText()).isEqualTo("gift_card_1");
    assertThat(changedIds()).isEqualTo("{orders=[#W2]}");
  }

  @Test
  void aReturnGoesToTheOriginalMethodOrAGiftCard() {
    JsonNode order = store.returnDeliveredOrderItems("#W2", List.of("200", "100"), "gift_card_2");

    assertThat(order.path("status").asText()).isEqualTo("return requested");
    assertThat(order.path("return_items").toString()).isEqualTo("[\"100\",\"200\"]");
    assertThat(order.path("return_payment_method_id").asText()).isEqualTo("gift_card_2");
  }

  @Test
  void changingThePaymentPaysWithTheNewMethodAndRefundsTheOld() {
    JsonNode order = store.modifyPendingOrderPayment("#W3", "gift_card_1");

    assertThat(order.path("payment_history").toString())
        .isEqualTo(
            "[{\"transaction_type\":\"payment\",\"amount\":50.0,\"payment_method_id\":\"credit_card_1\"},"
                + "{\"transaction_type\":\"payment\",\"amount\":50.0,\"payment_method_id\":\"gift_card_1\"},"
                + "{\"transaction_type\":\"refund\",\"amount\":50.0,\"payment_method_id\":\"credit_card_1\"}]");
    assertThat(order.path("status").asText()).isEqualTo("pending");
    assertThat(balance("gift_card_1")).isEqualTo(50.0);
    // paid twice now: only one payment may be changed
    assertThatThrownBy(() -> store.modifyPendingOrderPayment("#W3", "paypal_1"))
        .hasMessage("order #W3 must have exactly one payment to change its payment method");
  }

  @Test
  void cancellingAfterAPaymentChangeRefundsWhatEachMethodStillHolds() {
    store.modifyPendingOrderPayment("#W3", "gift_card_1");
    JsonNode order = store.cancelPendingOrder("#W3", "ordered by mistake");

    assertThat(order.path("payment_history")).hasSize(4);
    assertThat(order.path("payment_history").get(3).toString())
        .isEqualTo(
            "{\"transaction_type\":\"refund\",\"amount\":50.0,\"payment_method_id\":\"gift_card_1\"}");
    assertThat(balance("gift_card_1")).isEqualTo(100.0);
  }

  @Test
  void addressesAreWrittenInTheStoresFieldOrder() {
    Address address = new Address("9 Oak Rd", "Apt 2", "Boston", "MA", "USA", "02101");
    store.modifyPendingOrderAddress("#W3", address);
    store.modifyUserAddress(RetailFixture.USER, address);

    String expected =
        "{\"address1\":\"9 Oak Rd\",\"address2\":\"Apt 2\",\"city\":\"Boston\",\"state\":\"MA\","
            + "\"country\":\"USA\",\"zip\":\"02101\"}";
    assertThat(store.orderDetails("#W3").path("address").toString()).isEqualTo(expected);
    assertThat(store.userDetails(RetailFixture.USER).path("address").toString())
        .isEqualTo(expected);
    assertThatThrownBy(() -> store.modifyUserAddress("nobody", address))
        .hasMessage("user not found");
  }

  @Test
  void lookupsFindUsersAndListProducts() {
    assertThat(store.findUserIdByEmail("ann.lee@example.com")).isEqualTo(RetailFixture.USER);
    assertThat(store.findUserIdByNameZip("ann", "LEE", "78701")).isEqualTo(RetailFixture.USER);
    assertThatThrownBy(() -> store.findUserIdByNameZip("Ann", "Lee", "00000"))
        .hasMessage("user not found");
    assertThat(store.productTypes().toString())
        .isEqualTo("{\"Electric Kettle\":\"P2\",\"Gaming Mouse\":\"P1\"}");
    assertThat(store.productDetails("P2").path("name").asText()).isEqualTo("Electric Kettle");
    assertThat(store.transferToHumanAgents("help")).isEqualTo("Transfer successful");
    assertThat(store.think("hm")).isEmpty();
  }

  @Test
  void calculateEvaluatesArithmeticAndAnswersLikePython() {
    assertThat(store.calculate("2 + 2")).isEqualTo("4.0");
    assertThat(store.calculate("(1 + 2) * 3 / 4")).isEqualTo("2.25");
    assertThat(store.calculate("10 / 3")).isEqualTo("3.33");
    assertThat(store.calculate("-(130.33 - 100.1)")).isEqualTo("-30.23");
    assertThat(store.calculate("20000000 * 2")).isEqualTo("40000000.0");
    assertThatThrownBy(() -> store.calculate("1 / (2 - 2)")).hasMessage("division by zero");
    assertThatThrownBy(() -> store.calculate("2 ** 3"))
        .hasMessage("unexpected '*' at position 3 of the expression");
    assertThatThrownBy(() -> store.calculate("import os")).isInstanceOf(RetailRefusal.class);
  }

  @Test
  void centsRoundHalfEvenOnTheExactBinaryValueAsPythonDoes() {
    assertThat(RetailOperations.cents(0.125)).isEqualTo(0.12); // exact tie: to even
    assertThat(RetailOperations.cents(0.375)).isEqualTo(0.38);
    assertThat(RetailOperations.cents(2.675)).isEqualTo(2.67); // 2.67499999... in binary
    assertThat(RetailOperations.cents(1.005)).isEqualTo(1.0);
    assertThat(RetailOperations.cents(-23.235)).isEqualTo(-23.23);
  }

  @Test
  void theSharedTablesAreNeverModified() {
    store.cancelPendingOrder("#W1", "no longer needed");
    store.modifyPendingOrderPayment("#W3", "gift_card_1");
    store.returnDeliveredOrderItems("#W2", List.of("100"), "credit_card_1");

    RetailTables fresh = RetailFixture.tables();
    assertThat(base.orders()).isEqualTo(fresh.orders());
    assertThat(base.users()).isEqualTo(fresh.users());
    // a second run starts from the original store
    assertThat(
            new RetailOperations(new RetailDatabase(base))
                .orderDetails("#W1")
                .path("status")
                .asText())
        .isEqualTo("pending");
  }

  private double balance(String giftCard) {
    return store
        .userDetails(RetailFixture.USER)
        .path("payment_methods")
        .path(giftCard)
        .path("balance")
        .doubleValue();
  }

  /** {@code {orders=[#W1], users=[...]}}: which records changed. */
  private String changedIds() {
    ObjectNode changes = db.changes();
    Map<String, List<String>> ids = new LinkedHashMap<>();
    changes
        .properties()
        .forEach(
            table -> {
              List<String> names = new ArrayList<>();
              table.getValue().fieldNames().forEachRemaining(names::add);
              ids.put(table.getKey(), names);
            });
    return ids.toString();
  }
}
