package dev.bridle.benchmarks.taubench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.benchmarks.taubench.RetailOperations.Address;
import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.NoArguments;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The retail store's tools declared as a Bridle user would: one argument record per tool, the
 * description from {@code retail_tools.json}, {@link Effect#READ} for the eight tools that change
 * nothing (lookups, {@code calculate}, {@code think}, the hand-over to a human) and {@link
 * Effect#WRITE} for the seven that change an order or a user, each with the store's own read-only
 * check as its precondition, so a call the store would refuse is refused before anyone is asked to
 * approve it. Each record is checked against the data set's JSON Schema when the tool is built, so
 * a schema that changed upstream fails loudly.
 */
final class RetailTools {

  private RetailTools() {}

  /** Arguments of {@code calculate}. */
  record Calculate(String expression) {}

  /** Arguments of {@code cancel_pending_order}. */
  record CancelPendingOrder(@JsonProperty("order_id") String orderId, String reason) {}

  /** Arguments of {@code exchange_delivered_order_items} and {@code modify_pending_order_items}. */
  record ChangeItems(
      @JsonProperty("order_id") String orderId,
      @JsonProperty("item_ids") List<String> itemIds,
      @JsonProperty("new_item_ids") List<String> newItemIds,
      @JsonProperty("payment_method_id") String paymentMethodId) {}

  /** Arguments of {@code find_user_id_by_email}. */
  record FindUserIdByEmail(String email) {}

  /** Arguments of {@code find_user_id_by_name_zip}. */
  record FindUserIdByNameZip(
      @JsonProperty("first_name") String firstName,
      @JsonProperty("last_name") String lastName,
      String zip) {}

  /** Arguments of {@code get_order_details}. */
  record OrderId(@JsonProperty("order_id") String orderId) {}

  /** Arguments of {@code get_product_details}. */
  record ProductId(@JsonProperty("product_id") String productId) {}

  /** Arguments of {@code get_user_details}. */
  record UserId(@JsonProperty("user_id") String userId) {}

  /** Arguments of {@code modify_pending_order_address}. */
  record OrderAddress(
      @JsonProperty("order_id") String orderId,
      String address1,
      String address2,
      String city,
      String state,
      String country,
      String zip) {
    Address address() {
      return new Address(address1, address2, city, state, country, zip);
    }
  }

  /** Arguments of {@code modify_pending_order_payment}. */
  record OrderPayment(
      @JsonProperty("order_id") String orderId,
      @JsonProperty("payment_method_id") String paymentMethodId) {}

  /** Arguments of {@code modify_user_address}. */
  record UserAddress(
      @JsonProperty("user_id") String userId,
      String address1,
      String address2,
      String city,
      String state,
      String country,
      String zip) {
    Address address() {
      return new Address(address1, address2, city, state, country, zip);
    }
  }

  /** Arguments of {@code return_delivered_order_items}. */
  record ReturnItems(
      @JsonProperty("order_id") String orderId,
      @JsonProperty("item_ids") List<String> itemIds,
      @JsonProperty("payment_method_id") String paymentMethodId) {}

  /** Arguments of {@code think}. */
  record Think(String thought) {}

  /** Arguments of {@code transfer_to_human_agents}. */
  record Summary(String summary) {}

  /**
   * How one tool is declared: its record, its effect, what it does, what it checks before anyone is
   * asked (null: nothing) and what an approver sees.
   */
  private record Declaration<A>(
      String name,
      Class<A> arguments,
      Effect effect,
      BiFunction<RetailOperations, A, Object> operation,
      BiConsumer<RetailOperations, A> check,
      Tool.Preview<A> preview) {

    Tool<A> build(RetailData.ToolSchema schema, Function<ToolContext, RetailOperations> store) {
      Tool.Builder<A> builder =
          Tool.builder(name, arguments)
              .description(schema.description())
              .effect(effect)
              .idempotent(effect == Effect.READ)
              .handler((args, context) -> operation.apply(store.apply(context), args));
      if (preview != null) {
        builder.preview(preview);
      }
      if (check != null) {
        builder.precondition((args, context) -> refusal(check, store.apply(context), args));
      }
      Tool<A> tool = builder.build();
      requireSameSchema(schema, tool);
      return tool;
    }
  }

  /**
   * The store's refusal of a call as its precondition says it, as upstream's tool says it ({@code
   * Error: <message>}); empty when the store would accept the call.
   */
  private static <A> Optional<String> refusal(
      BiConsumer<RetailOperations, A> check, RetailOperations store, A args) {
    try {
      check.accept(store, args);
      return Optional.empty();
    } catch (RetailRefusal refused) {
      return Optional.of(RetailTask.ERROR_PREFIX + refused.getMessage());
    }
  }

  private static <A> Declaration<A> read(
      String name, Class<A> arguments, BiFunction<RetailOperations, A, Object> operation) {
    return new Declaration<>(name, arguments, Effect.READ, operation, null, null);
  }

  /**
   * A tool that changes the store; {@code check} is its precondition: the store's own read-only
   * check (order status, gift card balance, items, payment method), so that a call the store would
   * refuse is refused before a person is asked to approve it.
   */
  private static <A> Declaration<A> write(
      String name,
      Class<A> arguments,
      BiFunction<RetailOperations, A, Object> operation,
      BiConsumer<RetailOperations, A> check,
      Tool.Preview<A> preview) {
    return new Declaration<>(name, arguments, Effect.WRITE, operation, check, preview);
  }

  private static final List<Declaration<?>> DECLARATIONS =
      List.of(
          read("calculate", Calculate.class, (s, a) -> s.calculate(a.expression())),
          read(
              "find_user_id_by_email",
              FindUserIdByEmail.class,
              (s, a) -> s.findUserIdByEmail(a.email())),
          read(
              "find_user_id_by_name_zip",
              FindUserIdByNameZip.class,
              (s, a) -> s.findUserIdByNameZip(a.firstName(), a.lastName(), a.zip())),
          read("get_order_details", OrderId.class, (s, a) -> s.orderDetails(a.orderId())),
          read("get_product_details", ProductId.class, (s, a) -> s.productDetails(a.productId())),
          read("get_user_details", UserId.class, (s, a) -> s.userDetails(a.userId())),
          read("list_all_product_types", NoArguments.class, (s, a) -> s.productTypes()),
          read("think", Think.class, (s, a) -> s.think(a.thought())),
          read(
              "transfer_to_human_agents",
              Summary.class,
              (s, a) -> s.transferToHumanAgents(a.summary())),
          write(
              "cancel_pending_order",
              CancelPendingOrder.class,
              (s, a) -> s.cancelPendingOrder(a.orderId(), a.reason()),
              (s, a) -> s.checkCancelPendingOrder(a.orderId(), a.reason()),
              a -> "Cancel order " + a.orderId() + " (" + a.reason() + ") and refund its payment"),
          write(
              "exchange_delivered_order_items",
              ChangeItems.class,
              (s, a) ->
                  s.exchangeDeliveredOrderItems(
                      a.orderId(), a.itemIds(), a.newItemIds(), a.paymentMethodId()),
              (s, a) ->
                  s.checkExchangeDeliveredOrderItems(
                      a.orderId(), a.itemIds(), a.newItemIds(), a.paymentMethodId()),
              a ->
                  "Exchange items "
                      + a.itemIds()
                      + " of delivered order "
                      + a.orderId()
                      + " for "
                      + a.newItemIds()
                      + "; the price difference is settled with "
                      + a.paymentMethodId()),
          write(
              "modify_pending_order_address",
              OrderAddress.class,
              (s, a) -> s.modifyPendingOrderAddress(a.orderId(), a.address()),
              (s, a) -> s.checkModifyPendingOrderAddress(a.orderId()),
              a -> "Ship order " + a.orderId() + " to " + oneLine(a.address())),
          write(
              "modify_pending_order_items",
              ChangeItems.class,
              (s, a) ->
                  s.modifyPendingOrderItems(
                      a.orderId(), a.itemIds(), a.newItemIds(), a.paymentMethodId()),
              (s, a) ->
                  s.checkModifyPendingOrderItems(
                      a.orderId(), a.itemIds(), a.newItemIds(), a.paymentMethodId()),
              a ->
                  "Change items "
                      + a.itemIds()
                      + " of pending order "
                      + a.orderId()
                      + " to "
                      + a.newItemIds()
                      + " (the order cannot be changed again); the price difference is settled"
                      + " with "
                      + a.paymentMethodId()),
          write(
              "modify_pending_order_payment",
              OrderPayment.class,
              (s, a) -> s.modifyPendingOrderPayment(a.orderId(), a.paymentMethodId()),
              (s, a) -> s.checkModifyPendingOrderPayment(a.orderId(), a.paymentMethodId()),
              a ->
                  "Pay order "
                      + a.orderId()
                      + " with "
                      + a.paymentMethodId()
                      + " and refund the current payment method"),
          write(
              "modify_user_address",
              UserAddress.class,
              (s, a) -> s.modifyUserAddress(a.userId(), a.address()),
              (s, a) -> s.checkModifyUserAddress(a.userId()),
              a -> "Set the default address of " + a.userId() + " to " + oneLine(a.address())),
          write(
              "return_delivered_order_items",
              ReturnItems.class,
              (s, a) -> s.returnDeliveredOrderItems(a.orderId(), a.itemIds(), a.paymentMethodId()),
              (s, a) ->
                  s.checkReturnDeliveredOrderItems(a.orderId(), a.itemIds(), a.paymentMethodId()),
              a ->
                  "Return items "
                      + a.itemIds()
                      + " of delivered order "
                      + a.orderId()
                      + "; refund to "
                      + a.paymentMethodId()));

  /**
   * The tools for the data set's schemas, in the data set's order; each call runs on the store that
   * {@code store} gives for its run, so one set of tools serves every run. Every schema needs a
   * declaration and every declaration a schema.
   */
  static List<Tool<?>> of(
      List<RetailData.ToolSchema> schemas, Function<ToolContext, RetailOperations> store) {
    Map<String, Declaration<?>> byName =
        DECLARATIONS.stream().collect(Collectors.toMap(Declaration::name, Function.identity()));
    List<Tool<?>> tools = new ArrayList<>();
    for (RetailData.ToolSchema schema : schemas) {
      Declaration<?> declaration = byName.get(schema.name());
      if (declaration == null) {
        throw new IllegalStateException(
            RetailData.TOOLS
                + " declares tool '"
                + schema.name()
                + "', which the benchmark does not");
      }
      tools.add(declaration.build(schema, store));
    }
    for (String name : byName.keySet()) {
      if (schemas.stream().noneMatch(s -> s.name().equals(name))) {
        throw new IllegalStateException(
            "the benchmark declares tool '" + name + "', which " + RetailData.TOOLS + " does not");
      }
    }
    return tools;
  }

  /** Tool name → its argument record and effect, for every tool the benchmark declares. */
  static Map<String, Map.Entry<Class<?>, Effect>> declared() {
    Map<String, Map.Entry<Class<?>, Effect>> declared = new TreeMap<>();
    for (Declaration<?> d : DECLARATIONS) {
      declared.put(d.name(), Map.entry(d.arguments(), d.effect()));
    }
    return declared;
  }

  private static String oneLine(Address address) {
    return String.join(
        ", ",
        List.of(
                address.address1(),
                address.address2(),
                address.city(),
                address.state() + " " + address.zip(),
                address.country())
            .stream()
            .filter(s -> !s.isBlank())
            .toList());
  }

  /**
   * Fails when the record's generated schema and the data set's schema differ in argument names,
   * required arguments or JSON types (of arrays: of their items).
   */
  static void requireSameSchema(RetailData.ToolSchema declared, Tool<?> tool) {
    Map<String, String> expected = types(declared.parameters());
    Map<String, String> generated = types(tool.schema());
    TreeSet<String> expectedRequired = required(declared.parameters());
    TreeSet<String> generatedRequired = required(tool.schema());
    List<String> problems = new ArrayList<>();
    if (!expected.equals(generated)) {
      problems.add("the data set declares " + expected + ", the record " + generated);
    }
    if (!expectedRequired.equals(generatedRequired)) {
      problems.add(
          "the data set requires " + expectedRequired + ", the record " + generatedRequired);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "tool '"
              + declared.name()
              + "' does not match its schema in "
              + RetailData.TOOLS
              + ": "
              + String.join("; ", problems)
              + " (argument record "
              + tool.argumentType().getName()
              + ")");
    }
  }

  /** Argument name → JSON type, {@code array<T>} for arrays. */
  private static Map<String, String> types(JsonNode schema) {
    Map<String, String> types = new TreeMap<>();
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      JsonNode node = property.getValue();
      String type = node.path("type").asText("any");
      if (type.equals("array")) {
        type = "array<" + node.path("items").path("type").asText("any") + ">";
      }
      types.put(property.getKey(), type);
    }
    return types;
  }

  private static TreeSet<String> required(JsonNode schema) {
    TreeSet<String> required = new TreeSet<>();
    schema.path("required").forEach(r -> required.add(Objects.requireNonNull(r.asText())));
    return required;
  }
}
