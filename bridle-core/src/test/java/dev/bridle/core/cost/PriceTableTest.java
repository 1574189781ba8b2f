package dev.bridle.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

  @TempDir Path dir;

  private final PriceTable shipped = PriceTable.shipped();

  @Test
  void shipsTheCommonModelsWithTheirSourceAndDay() {
    assertThat(shipped.models())
        .contains(
            "openai:gpt-4o",
            "openai:gpt-4o-mini",
            "openai:gpt-4.1",
            "openai:gpt-4.1-mini",
            "openai:o3-mini",
            "anthropic:claude-sonnet-4",
            "anthropic:claude-3-5-haiku",
            "gemini:gemini-2.5-flash",
            "gemini:gemini-2.5-pro");
    assertThat(shipped.entries())
        .allSatisfy(
            price -> {
              assertThat(price.source())
                  .hasValueSatisfying(url -> assertThat(url).startsWith("https://"));
              assertThat(price.taken()).isPresent();
            });
  }

  @Test
  void looksPricesUpByDate() {
    ModelPrice launch = shipped.price("openai:gpt-4o", LocalDate.of(2024, 6, 1)).orElseThrow();
    ModelPrice later = shipped.price("openai:gpt-4o", TODAY).orElseThrow();

    assertThat(launch.inputPerMillion()).isEqualByComparingTo("5.00");
    assertThat(launch.outputPerMillion()).isEqualByComparingTo("15.00");
    assertThat(later.effective()).isEqualTo(LocalDate.of(2024, 10, 2));
    assertThat(later.inputPerMillion()).isEqualByComparingTo("2.50");
    assertThat(later.cachedInputPerMillion()).isEqualByComparingTo("1.25");
    assertThat(later.outputPerMillion()).isEqualByComparingTo("10.00");
    assertThat(shipped.price("openai:gpt-4o", LocalDate.of(2024, 10, 1)).orElseThrow())
        .isEqualTo(launch);
  }

  @Test
  void costsUsageExactlyWithCachedTokensAtTheirOwnPrice() {
    Usage usage = new Usage(1_000_000, 500_000, 200_000);

    Cost cost = shipped.cost("openai:gpt-4o-mini", usage, TODAY);

    // 800k uncached x 0.15 + 200k cached x 0.075 + 500k out x 0.60 = 0.12 + 0.015 + 0.30
    assertThat(cost).isInstanceOf(Cost.Known.class);
    assertThat(cost.usd()).hasValueSatisfying(usd -> assertThat(usd).isEqualByComparingTo("0.435"));
    assertThat(((Cost.Known) cost).price().modelId()).isEqualTo("openai:gpt-4o-mini");
  }

  @Test
  void aSnapshotNameFallsBackToItsModelUnlessListedItself() {
    assertThat(shipped.price("openai:gpt-4o-2024-08-06", TODAY).orElseThrow().modelId())
        .isEqualTo("openai:gpt-4o");
    assertThat(shipped.price("anthropic:claude-sonnet-4-20250514", TODAY).orElseThrow().modelId())
        .isEqualTo("anthropic:claude-sonnet-4");
    ModelPrice pinned = shipped.price("openai:gpt-4o-2024-05-13", TODAY).orElseThrow();
    assertThat(pinned.modelId()).isEqualTo("openai:gpt-4o-2024-05-13");
    assertThat(pinned.inputPerMillion()).isEqualByComparingTo("5.00");
  }

  @Test
  void anUnknownModelHasAnUnknownCostNotAZeroOne() {
    Cost cost = shipped.cost("openai:gpt-9-ultra", new Usage(10, 10, 0), TODAY);

    assertThat(cost.usd()).isEmpty();
    assertThat(cost)
        .isInstanceOfSatisfying(
            Cost.Unknown.class,
            unknown -> {
              assertThat(unknown.modelId()).isEqualTo("openai:gpt-9-ultra");
              assertThat(unknown.reason())
                  .startsWith("no price for model 'openai:gpt-9-ultra' in the price table")
                  .contains("the cost is unknown, not zero")
                  .contains("openai:gpt-4o-mini");
            });
    assertThat(((Cost.Unknown) shipped.cost("gpt-4o", Usage.ZERO, TODAY)).reason())
        .contains("(model ids are 'provider:name')");
  }

  @Test
  void aDayBeforeTheFirstPriceIsUnknownToo() {
    Cost cost = shipped.cost("openai:gpt-4.1", new Usage(1, 1, 0), LocalDate.of(2025, 1, 1));

    assertThat(cost)
        .isEqualTo(
            new Cost.Unknown(
                "openai:gpt-4.1",
                "no price for openai:gpt-4.1 on 2025-01-01: its first price in the table is"
                    + " effective 2025-04-14; the cost is unknown, not zero"));
  }

  @Test
  void anOperatorFileAddsModelsAndDatesAndReplacesTheSameDay() throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(
        file,
        """
        {
          "prices": [
            {"model": "openai:gpt-4o", "effective": "2026-01-01",
             "input": 1.00, "cached-input": 0.10, "output": 4.00},
            {"model": "openai:gpt-4o-mini", "effective": "2024-07-18",
             "input": 0.20, "output": 0.80, "verified": true},
            {"model": "vllm:llama-3.3-70b", "effective": "2025-01-01",
             "input": 0, "output": 0, "note": "our own GPUs"}
          ]
        }
        """);

    PriceTable table = shipped.overriddenBy(PriceTable.load(file));

    assertThat(
            table
                .price("openai:gpt-4o", LocalDate.of(2025, 12, 31))
                .orElseThrow()
                .inputPerMillion())
        .isEqualByComparingTo("2.50");
    assertThat(table.price("openai:gpt-4o", TODAY).orElseThrow().inputPerMillion())
        .isEqualByComparingTo("1.00");
    ModelPrice mini = table.price("openai:gpt-4o-mini", TODAY).orElseThrow();
    assertThat(mini.inputPerMillion()).isEqualByComparingTo("0.20");
    assertThat(mini.cachedInputPerMillion())
        .as("cached-input defaults to the input price")
        .isEqualByComparingTo("0.20");
    assertThat(mini.verified()).isTrue();
    assertThat(table.cost("vllm:llama-3.3-70b", new Usage(1000, 1000, 0), TODAY).usd())
        .hasValueSatisfying(usd -> assertThat(usd).isEqualByComparingTo(BigDecimal.ZERO));
    assertThat(shipped.models()).doesNotContain("vllm:llama-3.3-70b");
  }

  @Test
  void malformedFilesNameTheFileAndTheJsonPath() throws IOException {
    assertMalformed(
        "{\"prices\": [ {\"model\": \"openai:x\",", "is not valid JSON at line 1, column");
    assertMalformed("[]", ": $ must be a JSON object with a 'prices' array");
    assertMalformed("{\"prices\": {}}", ": $.prices must be an array of prices, but was {}");
    assertMalformed(
        entries(
            "{\"model\": \"openai:a\", \"effective\": \"2025-01-01\", \"input\": 1, \"output\": 2}",
            "{\"model\": \"openai:b\", \"effective\": \"2025-01-01\", \"input\": 1, \"output\": \"2\"}"),
        ": $.prices[1].output must be a non-negative number of dollars per million tokens, but"
            + " was \"2\"");
    assertMalformed(
        entries(
            "{\"model\": \"openai:a\", \"effective\": \"2025-01-01\", \"input\": -1, \"output\": 2}"),
        ": $.prices[0].input must be a non-negative number");
    assertMalformed(
        entries("{\"effective\": \"2025-01-01\", \"input\": 1, \"output\": 2}"),
        ": $.prices[0] has no 'model'");
    assertMalformed(
        entries(
            "{\"model\": \"gpt-4o\", \"effective\": \"2025-01-01\", \"input\": 1, \"output\": 2}"),
        ": $.prices[0].model must be 'provider:name', but was \"gpt-4o\"");
    assertMalformed(
        entries(
            "{\"model\": \"openai:a\", \"effective\": \"1/1/2025\", \"input\": 1, \"output\": 2}"),
        ": $.prices[0].effective must be a date like \"2025-04-14\", but was \"1/1/2025\"");
    assertMalformed(
        entries(
            "{\"model\": \"openai:a\", \"effective\": \"2025-01-01\", \"input\": 1, \"ouput\": 2}"),
        ": $.prices[0].ouput is not a known key; known keys here: cached-input, effective,");
    assertMalformed(
        entries(
            "{\"model\": \"openai:a\", \"effective\": \"2025-01-01\", \"input\": 1, \"output\": 2}",
            "{\"model\": \"openai:a\", \"effective\": \"2025-01-01\", \"input\": 3, \"output\": 4}"),
        ": $.prices[1] is a second price for openai:a effective 2025-01-01 (the first is"
            + " $.prices[0])");
    assertMalformed("{\"format\": 2, \"prices\": []}", ": $.format must be 1, but was 2");
    assertMalformed("{\"currency\": \"EUR\", \"prices\": []}", ": $.currency must be \"USD\"");
  }

  @Test
  void aMissingFileIsAClearError() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> PriceTable.load(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("cannot read the price table " + missing);
  }

  @Test
  void pricesInCodeFollowTheSameRules() {
    ModelPrice price =
        ModelPrice.of(
            "openai:a",
            LocalDate.of(2025, 1, 1),
            new BigDecimal("1"),
            new BigDecimal("0.5"),
            new BigDecimal("2"));

    assertThatThrownBy(() -> PriceTable.of(List.of(price, price)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the price table has two prices for openai:a effective 2025-01-01");
    assertThatThrownBy(
            () ->
                ModelPrice.of(
                    "openai:a",
                    LocalDate.of(2025, 1, 1),
                    new BigDecimal("-1"),
                    BigDecimal.ONE,
                    BigDecimal.ONE))
        .hasMessage("input price of openai:a must not be negative, but was -1");
  }

  private void assertMalformed(String json, String expected) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, json);
    assertThatThrownBy(() -> PriceTable.load(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("price table " + file)
        .hasMessageContaining(expected);
  }

  private static String entries(String... entries) {
    return "{\"prices\": [" + String.join(",", entries) + "]}";
  }
}
