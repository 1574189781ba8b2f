package dev.bridle.models.resilience;

import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelSpec;
import dev.bridle.models.ChatModels;
import dev.bridle.testkit.FakeOpenAiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The real OpenAI adapter pointed at a fake server. */
final class OpenAiOverFake {

  static final ModelRequest QUESTION =
      new ModelRequest(
          List.of(
              new ChatMessage.System("You answer questions about invoices."),
              new ChatMessage.User("What is the total of invoice 42?")),
          List.of());

  private OpenAiOverFake() {}

  static ChatModel model(FakeOpenAiServer server, String name, Duration timeout) {
    return ChatModels.create(
        ModelSpec.of("openai", name).withBaseUrl(server.baseUrl()).withTimeout(timeout), Map.of());
  }

  static ChatModel model(FakeOpenAiServer server, String name) {
    return model(server, name, Duration.ofSeconds(10));
  }
}
