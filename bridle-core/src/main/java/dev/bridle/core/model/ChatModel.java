package dev.bridle.core.model;

/**
 * The model SPI: one request in, one response out. Implementations adapt a provider (see the {@code
 * bridle-models} module) or play a script. They throw {@link ModelException} for any provider
 * failure; they never return {@code null}.
 */
@FunctionalInterface
public interface ChatModel {

  ModelResponse chat(ModelRequest request);

  /** A stable identifier such as {@code openai:gpt-4o-mini}, recorded on every model event. */
  default String id() {
    return getClass().getSimpleName();
  }
}
