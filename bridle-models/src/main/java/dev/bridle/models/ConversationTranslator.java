package dev.bridle.models;

import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ToolCall;
import dev.bridle.core.model.ToolSpec;
import dev.bridle.core.model.Usage;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** Translates Bridle's model SPI types to LangChain4j's and back. */
final class ConversationTranslator {

  private ConversationTranslator() {}

  /**
   * How many tools {@link #toTools} remembers: one slot each, chosen by identity hash, so a lookup
   * costs no lock and no allocation, and a tool pushed out by another is translated again.
   */
  private static final int TOOLS_REMEMBERED = 256;

  private static final AtomicReferenceArray<TranslatedTool> TOOLS =
      new AtomicReferenceArray<>(TOOLS_REMEMBERED);

  private record TranslatedTool(ToolSpec tool, ToolSpecification translated) {}

  static ChatRequest toChatRequest(ModelRequest request) {
    ChatRequest.Builder builder = ChatRequest.builder().messages(toMessages(request.messages()));
    if (!request.tools().isEmpty()) {
      builder.toolSpecifications(toTools(request.tools()));
    }
    return builder.build();
  }

  /**
   * The tools in LangChain4j's form. An agent offers the same {@link ToolSpec} instances on every
   * call (in a list that {@link ModelRequest} may copy), so the translation of a recently seen
   * instance is reused rather than made again: the schema in a {@code ToolSpec} is not to be
   * changed once the tool is offered to a model.
   */
  static List<ToolSpecification> toTools(List<ToolSpec> tools) {
    ToolSpecification[] translated = new ToolSpecification[tools.size()];
    for (int i = 0; i < translated.length; i++) {
      translated[i] = toTool(tools.get(i));
    }
    return List.of(translated);
  }

  static List<dev.langchain4j.data.message.ChatMessage> toMessages(List<ChatMessage> messages) {
    List<dev.langchain4j.data.message.ChatMessage> translated = new ArrayList<>(messages.size());
    for (ChatMessage message : messages) {
      switch (message) {
        case ChatMessage.System system -> {
          if (!system.text().isBlank()) {
            translated.add(SystemMessage.from(system.text()));
          }
        }
        case ChatMessage.User user -> translated.add(UserMessage.from(user.text()));
        case ChatMessage.Assistant assistant -> translated.add(toAiMessage(assistant));
        case ChatMessage.ToolResult result ->
            translated.add(
                ToolExecutionResultMessage.builder()
                    .id(result.callId())
                    .toolName(result.toolName())
                    .text(result.content())
                    .isError(result.error())
                    .build());
      }
    }
    return translated;
  }

  private static ToolSpecification toTool(ToolSpec tool) {
    int slot = Math.floorMod(System.identityHashCode(tool), TOOLS_REMEMBERED);
    TranslatedTool remembered = TOOLS.get(slot);
    if (remembered != null && remembered.tool() == tool) {
      return remembered.translated();
    }
    ToolSpecification translated = translate(tool);
    TOOLS.set(slot, new TranslatedTool(tool, translated));
    return translated;
  }

  private static ToolSpecification translate(ToolSpec tool) {
    return ToolSpecification.builder()
        .name(tool.name())
        .description(tool.description())
        .parameters(ToolSchemaTranslator.toObjectSchema(tool.parameters()))
        .build();
  }

  /**
   * The assistant message, usage and serving model of a response. Tool call arguments are passed on
   * as the raw text the provider sent, valid JSON or not; a call without an id gets a fresh one.
   */
  static ModelResponse toModelResponse(
      ChatResponse response, String provider, String fallbackName) {
    AiMessage message = response.aiMessage();
    List<ToolCall> calls = new ArrayList<>();
    if (message.hasToolExecutionRequests()) {
      for (ToolExecutionRequest request : message.toolExecutionRequests()) {
        String id =
            request.id() == null || request.id().isBlank()
                ? "call_" + UUID.randomUUID()
                : request.id();
        calls.add(new ToolCall(id, request.name(), request.arguments()));
      }
    }
    String modelName =
        response.modelName() == null || response.modelName().isBlank()
            ? fallbackName
            : response.modelName();
    return new ModelResponse(
        new ChatMessage.Assistant(message.text(), calls),
        toUsage(response.tokenUsage()),
        provider + ":" + modelName);
  }

  static Usage toUsage(TokenUsage usage) {
    if (usage == null) {
      return Usage.ZERO;
    }
    long cached =
        switch (usage) {
          case OpenAiTokenUsage openAi when openAi.inputTokensDetails() != null ->
              count(openAi.inputTokensDetails().cachedTokens());
          case AnthropicTokenUsage anthropic -> count(anthropic.cacheReadInputTokens());
          case GoogleAiGeminiTokenUsage gemini -> count(gemini.cachedContentTokenCount());
          default -> 0;
        };
    return new Usage(count(usage.inputTokenCount()), count(usage.outputTokenCount()), cached);
  }

  private static AiMessage toAiMessage(ChatMessage.Assistant assistant) {
    List<ToolExecutionRequest> requests = new ArrayList<>(assistant.toolCalls().size());
    for (ToolCall call : assistant.toolCalls()) {
      requests.add(
          ToolExecutionRequest.builder()
              .id(call.id())
              .name(call.name())
              .arguments(call.arguments())
              .build());
    }
    AiMessage.Builder builder = AiMessage.builder();
    if (!assistant.text().isEmpty() || requests.isEmpty()) {
      builder.text(assistant.text());
    }
    if (!requests.isEmpty()) {
      builder.toolExecutionRequests(requests);
    }
    return builder.build();
  }

  private static long count(Integer tokens) {
    return tokens == null || tokens < 0 ? 0 : tokens;
  }
}
