package dev.bridle.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.ToolSpec;
import dev.bridle.core.model.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostEstimatorTest {

  private final TestClock clock = new TestClock("2026-11-22T10:00:00Z");
  private final CostEstimator estimator = CostEstimator.of(PriceTable.shipped(), clock);

  @Test
  void countsFourCharactersATokenRoundedUpOverEveryPartOfTheRequest() {
    ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object"); // 17 chars
    ModelRequest request =
        new ModelRequest(
            List.of(
                new ChatMessage.System("s".repeat(40)),
                new ChatMessage.User("u".repeat(80)),
                new ChatMessage.Assistant("a".repeat(3), List.of(new ToolCall("c1", "find", "{}"))),
                new ChatMessage.ToolResult("c1", "find", "r".repeat(10), false)),
            List.of(new ToolSpec("find", "d".repeat(9), schema)));

    // 40 + 80 + (3 + 4 + 2) + (4 + 10) + (4 + 9 + 17) = 173 characters -> 44 tokens
    assertThat(CostEstimator.inputTokens(request)).isEqualTo(44);
  }

  @Test
  void estimatesInputPlusTheOutputCapAtTodaysPrice() {
    ModelRequest request =
        new ModelRequest(List.of(new ChatMessage.User("x".repeat(4_000))), List.of());

    CostEstimate estimate = estimator.estimate(request, "openai:gpt-4o-mini", 2_000);

    assertThat(estimate.tokens()).isEqualTo(new Usage(1_000, 2_000, 0));
    // 1000 x 0.15 / 1M + 2000 x 0.60 / 1M = 0.00015 + 0.0012
    assertThat(estimate.cost().usd())
        .hasValueSatisfying(usd -> assertThat(usd).isEqualByComparingTo("0.00135"));
  }

  @Test
  void anUnknownModelGivesAnUnknownEstimate() {
    ModelRequest request = new ModelRequest(List.of(new ChatMessage.User("hello")), List.of());

    CostEstimate estimate = estimator.estimate(request, "acme:mystery", 100);

    assertThat(estimate.tokens().totalTokens()).isEqualTo(102);
    assertThat(estimate.cost()).isInstanceOf(Cost.Unknown.class);
  }

  @Test
  void refusesANegativeOutputCap() {
    ModelRequest request = new ModelRequest(List.of(), List.of());

    assertThatThrownBy(() -> estimator.estimate(request, "openai:gpt-4o", -1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("max-output-tokens must not be negative, but was -1");
  }
}
