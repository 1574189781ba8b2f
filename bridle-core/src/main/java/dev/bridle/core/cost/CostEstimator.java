package dev.bridle.core.cost;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.ToolSpec;
import dev.bridle.core.model.Usage;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Estimates a call before it is made, for the budget check: input tokens from the request's
 * characters (about {@value #CHARS_PER_TOKEN} characters a token, rounded up, over message texts,
 * tool calls and results, and the tools' names, descriptions and schemas) plus the call's output
 * token cap, priced on today's date (UTC) of the clock.
 *
 * <p>The heuristic errs a little high for English prose and low for dense code or non-Latin
 * scripts; budgets reconcile with the provider's real counts when the response arrives.
 */
public final class CostEstimator {

  /** Characters per token of the heuristic. */
  public static final int CHARS_PER_TOKEN = 4;

  private final PriceTable prices;
  private final Clock clock;

  private CostEstimator(PriceTable prices, Clock clock) {
    this.prices = Objects.requireNonNull(prices, "prices");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** An estimator pricing with {@code prices} on the current day of {@code clock} (UTC). */
  public static CostEstimator of(PriceTable prices, Clock clock) {
    return new CostEstimator(prices, clock);
  }

  /**
   * The estimate of sending {@code request} to {@code modelId} with at most {@code maxOutputTokens}
   * of output.
   */
  public CostEstimate estimate(ModelRequest request, String modelId, long maxOutputTokens) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(modelId, "modelId");
    if (maxOutputTokens < 0) {
      throw new ConfigurationException(
          "max-output-tokens must not be negative, but was " + maxOutputTokens);
    }
    Usage tokens = new Usage(inputTokens(request), maxOutputTokens, 0);
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return new CostEstimate(modelId, tokens, prices.cost(modelId, tokens, today));
  }

  /** The heuristic input token count of {@code request}. */
  public static long inputTokens(ModelRequest request) {
    long characters = 0;
    for (ChatMessage message : request.messages()) {
      characters += characters(message);
    }
    for (ToolSpec tool : request.tools()) {
      characters +=
          tool.name().length()
              + tool.description().length()
              + tool.parameters().toString().length();
    }
    return (characters + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  private static long characters(ChatMessage message) {
    return switch (message) {
      case ChatMessage.System system -> system.text().length();
      case ChatMessage.User user -> user.text().length();
      case ChatMessage.Assistant assistant -> {
        long total = assistant.text().length();
        for (ToolCall call : assistant.toolCalls()) {
          total += call.name().length() + call.arguments().length();
        }
        yield total;
      }
      case ChatMessage.ToolResult result -> result.toolName().length() + result.content().length();
    };
  }
}
