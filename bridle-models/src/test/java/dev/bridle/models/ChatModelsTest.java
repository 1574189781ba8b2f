package dev.bridle.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wiring of every provider; nothing here touches the network. */
class ChatModelsTest {

  @Test
  void unknownProviderIsAConfigurationErrorListingTheKnownOnes() {
    assertThatThrownBy(() -> ChatModels.create(ModelSpec.of("mistral", "large"), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "unknown model provider 'mistral'; known providers: openai, anthropic, ollama, gemini");
  }

  @Test
  void scriptedIsResolvedElsewhere() {
    assertThatThrownBy(() -> ChatModels.create(ModelSpec.parse("scripted"), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'scripted'")
        .hasMessageContaining("bridle-core");
  }

  @Test
  void missingApiKeyNamesTheVariable() {
    assertThatThrownBy(() -> ChatModels.create(ModelSpec.of("openai", "gpt-4o-mini"), Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "model openai:gpt-4o-mini needs an API key in the environment variable OPENAI_API_KEY,"
                + " which is not set");
    assertThatThrownBy(
            () -> ChatModels.create(ModelSpec.of("anthropic", "claude-sonnet-4-5"), Map.of()))
        .hasMessageContaining("ANTHROPIC_API_KEY");
    assertThatThrownBy(
            () ->
                ChatModels.create(
                    ModelSpec.of("gemini", "gemini-2.5-flash"), Map.of("GEMINI_API_KEY", " ")))
        .hasMessageContaining("GEMINI_API_KEY");
  }

  @Test
  void anExplicitlyNamedKeyVariableMustBeSetEvenWithABaseUrl() {
    ModelSpec spec =
        ModelSpec.of("openai", "llama")
            .withBaseUrl("http://127.0.0.1:1/v1")
            .withApiKeyEnv("MY_GATEWAY_KEY");

    assertThatThrownBy(() -> ChatModels.create(spec, Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "model openai:llama needs an API key in the environment variable MY_GATEWAY_KEY,"
                + " which is not set (named by api-key-env)");
  }

  @Test
  void openAiCompatibleServerNeedsNoKey() {
    ChatModel model =
        ChatModels.create(
            ModelSpec.of("openai", "llama").withBaseUrl("http://127.0.0.1:1/v1"), Map.of());

    assertThat(model.id()).isEqualTo("openai:llama");
  }

  @Test
  void buildsAnthropicOllamaAndGeminiModels() {
    Map<String, String> environment =
        Map.of("ANTHROPIC_API_KEY", "test-anthropic", "CUSTOM_GEMINI", "test-gemini");

    ChatModel anthropic =
        ChatModels.create(ModelSpec.of("anthropic", "claude-sonnet-4-5"), environment);
    ChatModel ollama = ChatModels.create(ModelSpec.of("ollama", "qwen3:8b"), Map.of());
    ChatModel gemini =
        ChatModels.create(
            ModelSpec.of("gemini", "gemini-2.5-flash").withApiKeyEnv("CUSTOM_GEMINI"), environment);

    assertThat(anthropic.id()).isEqualTo("anthropic:claude-sonnet-4-5");
    assertThat(ollama.id()).isEqualTo("ollama:qwen3:8b");
    assertThat(gemini.id()).isEqualTo("gemini:gemini-2.5-flash");
    assertThat(anthropic).isInstanceOf(LangChain4jChatModel.class);
    assertThat(ollama).isInstanceOf(LangChain4jChatModel.class);
    assertThat(gemini).isInstanceOf(LangChain4jChatModel.class);
  }
}
