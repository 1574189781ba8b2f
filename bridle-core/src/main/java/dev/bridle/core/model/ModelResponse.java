package dev.bridle.core.model;

import java.util.Objects;

/**
 * A model's answer. {@code modelId} names the model that actually served it (which may differ from
 * the one asked for, behind a gateway).
 */
public record ModelResponse(ChatMessage.Assistant message, Usage usage, String modelId) {
  public ModelResponse {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(modelId, "modelId");
  }
}
