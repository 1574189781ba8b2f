package dev.bridle.models;

import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ModelSpec;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * Bridle's {@link ChatModel} over any LangChain4j chat model: one translation path for every
 * provider. Failures become {@link ModelException}s (see {@link ModelFailures}); nothing else
 * escapes.
 *
 * <p>The wrapped model is built with {@code maxRetries(0)}: LangChain4j does not retry, because
 * retries, backoff and {@code Retry-After} handling belong to Bridle's resilience layer, which sees
 * {@link ModelException#retriable()} and {@link ModelException#retryAfter()}.
 */
final class LangChain4jChatModel implements ChatModel {

  private final dev.langchain4j.model.chat.ChatModel delegate;
  private final ModelSpec spec;
  private final ModelFailures failures;

  LangChain4jChatModel(
      dev.langchain4j.model.chat.ChatModel delegate, ModelSpec spec, ModelFailures failures) {
    this.delegate = delegate;
    this.spec = spec;
    this.failures = failures;
  }

  @Override
  public ModelResponse chat(ModelRequest request) {
    ChatRequest chatRequest;
    try {
      chatRequest = ConversationTranslator.toChatRequest(request);
    } catch (RuntimeException e) {
      throw new ModelException(
          ModelException.Kind.INVALID_REQUEST,
          id() + " request could not be built: " + e.getMessage(),
          e);
    }
    ChatResponse response;
    try {
      response = delegate.chat(chatRequest);
    } catch (RuntimeException e) {
      throw failures.classify(e);
    }
    if (response == null || response.aiMessage() == null) {
      throw new ModelException(
          ModelException.Kind.MALFORMED_RESPONSE, id() + " answered without a message", null);
    }
    return ConversationTranslator.toModelResponse(response, spec.provider(), spec.name());
  }

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public String toString() {
    return "ChatModel[" + id() + "]";
  }
}
