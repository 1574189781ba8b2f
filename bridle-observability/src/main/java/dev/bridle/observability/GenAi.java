package dev.bridle.observability;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names from the OpenTelemetry GenAI semantic conventions (v1.41, status: development) and Bridle's
 * own {@code bridle.*} attributes. Kept here rather than taken from the incubating semconv
 * artifact, whose names move between releases; {@code docs/observability.md} lists them.
 */
final class GenAi {

  private GenAi() {}

  // Operation names (gen_ai.operation.name values)
  static final String INVOKE_AGENT = "invoke_agent";
  static final String CHAT = "chat";
  static final String EXECUTE_TOOL = "execute_tool";

  // GenAI semantic-convention attributes
  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("gen_ai.agent.id");
  static final AttributeKey<String> AGENT_VERSION = AttributeKey.stringKey("gen_ai.agent.version");
  static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("gen_ai.conversation.id");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  // Opt-in content attributes (only with ContentCapture on, always redacted)
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");
  static final AttributeKey<String> SYSTEM_INSTRUCTIONS =
      AttributeKey.stringKey("gen_ai.system_instructions");
  static final AttributeKey<String> TOOL_CALL_ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> TOOL_CALL_RESULT =
      AttributeKey.stringKey("gen_ai.tool.call.result");

  // Bridle attributes
  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("bridle.run.id");
  static final AttributeKey<Long> RUN_SEGMENT_SEQ = AttributeKey.longKey("bridle.run.segment.seq");
  static final AttributeKey<String> RUN_RESUMED_BY =
      AttributeKey.stringKey("bridle.run.resumed_by");
  static final AttributeKey<String> RUN_OUTCOME = AttributeKey.stringKey("bridle.run.outcome");
  static final AttributeKey<String> RUN_REASON = AttributeKey.stringKey("bridle.run.reason");
  static final AttributeKey<Long> RUN_STEPS = AttributeKey.longKey("bridle.run.steps");
  static final AttributeKey<Long> STEP = AttributeKey.longKey("bridle.step");
  static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("bridle.cost.usd");
  static final AttributeKey<String> POLICY_DECISION =
      AttributeKey.stringKey("bridle.policy.decision");
  static final AttributeKey<String> POLICY_RULE = AttributeKey.stringKey("bridle.policy.rule");
  static final AttributeKey<String> POLICY_REASON = AttributeKey.stringKey("bridle.policy.reason");
  static final AttributeKey<String> POLICY_VERSION =
      AttributeKey.stringKey("bridle.policy.version");
  static final AttributeKey<String> APPROVAL_ID = AttributeKey.stringKey("bridle.approval.id");
  static final AttributeKey<String> APPROVAL_DECISION =
      AttributeKey.stringKey("bridle.approval.decision");
  static final AttributeKey<String> APPROVAL_KIND = AttributeKey.stringKey("bridle.approval.kind");
  static final AttributeKey<String> TOOL_EFFECT = AttributeKey.stringKey("bridle.tool.effect");
  static final AttributeKey<String> TOOL_STATUS = AttributeKey.stringKey("bridle.tool.status");
  static final AttributeKey<Boolean> TOOL_IDEMPOTENT =
      AttributeKey.booleanKey("bridle.tool.idempotent");
  static final AttributeKey<String> TOOL_REVERTS = AttributeKey.stringKey("bridle.tool.reverts");
  static final AttributeKey<String> GUARD_NAME = AttributeKey.stringKey("bridle.guard.name");
  static final AttributeKey<String> GUARD_STAGE = AttributeKey.stringKey("bridle.guard.stage");
  static final AttributeKey<String> GUARD_KIND = AttributeKey.stringKey("bridle.guard.kind");
  static final AttributeKey<String> GUARD_REASON = AttributeKey.stringKey("bridle.guard.reason");
  static final AttributeKey<String> REJECTION = AttributeKey.stringKey("bridle.tool.rejection");
  static final AttributeKey<Boolean> BUDGET_HARD = AttributeKey.booleanKey("bridle.budget.hard");
  static final AttributeKey<String> BUDGET_MESSAGE =
      AttributeKey.stringKey("bridle.budget.message");
  static final AttributeKey<Long> DROPPED_EVENTS =
      AttributeKey.longKey("bridle.span.dropped_events");

  /** Bridle's provider names ({@code ModelSpec.provider}) to the conventions' well-known values. */
  private static final Map<String, String> PROVIDERS =
      Map.ofEntries(
          Map.entry("openai", "openai"),
          Map.entry("anthropic", "anthropic"),
          Map.entry("gemini", "gcp.gemini"),
          Map.entry("vertex", "gcp.vertex_ai"),
          Map.entry("vertex-ai", "gcp.vertex_ai"),
          Map.entry("azure", "azure.ai.openai"),
          Map.entry("azure-openai", "azure.ai.openai"),
          Map.entry("bedrock", "aws.bedrock"),
          Map.entry("mistral", "mistral_ai"),
          Map.entry("deepseek", "deepseek"),
          Map.entry("groq", "groq"),
          Map.entry("cohere", "cohere"),
          Map.entry("perplexity", "perplexity"),
          Map.entry("xai", "x_ai"),
          Map.entry("watsonx", "ibm.watsonx.ai"));

  /**
   * A model id {@code provider:name} split into the conventions' provider name and the model name.
   * Providers without a well-known value keep Bridle's name ({@code ollama}, {@code scripted}); an
   * id without a provider gets {@code _OTHER}.
   */
  record Model(String provider, String name) {
    static Model of(String modelId) {
      if (modelId == null || modelId.isBlank()) {
        return new Model("_OTHER", "unknown");
      }
      int colon = modelId.indexOf(':');
      if (colon <= 0 || colon == modelId.length() - 1) {
        return new Model("_OTHER", modelId);
      }
      String provider = modelId.substring(0, colon).toLowerCase(Locale.ROOT);
      return new Model(PROVIDERS.getOrDefault(provider, provider), modelId.substring(colon + 1));
    }
  }
}
