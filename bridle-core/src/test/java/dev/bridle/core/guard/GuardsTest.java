package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bridle.core.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardsTest {

  private static final YAMLMapper YAML = new YAMLMapper();

  /** Parses YAML the way the workflow loader hands a guards section over: plain maps and lists. */
  private static Map<String, Object> yaml(String text) {
    try {
      return YAML.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static final String FULL =
      """
      max-reasks: 3
      chain:
        - type: size-limit
          input: 2000
          model-output: {max-chars: 500, action: block}
          tool-result: {max-chars: 5000}
        - type: input-scope
          keywords: [ticket, order, refund]
          patterns: ['TCK-\\d+']
          classifier: support-topics
          action: escalate
        - type: blocklist
          domains: [rival.example]
          terms: [wire transfer]
        - type: injection-heuristics
          flag-at: 2
          escalate-at: 5
          check-trusted: false
        - type: prohibited-language
          terms: [guarantee]
        - type: json-schema
          schema:
            type: object
            required: [reply]
            properties:
              reply: {type: string}
        - type: id-validity
          id-pattern: 'TCK-\\d+'
          lookup: tickets
          tools: [close_ticket]
        - type: pii
          name: pii-output
          types: [email, credit-card]
          allow: [support@acme.example]
        - type: pii
          name: pii-arguments
          stages: [tool-arguments]
          action: block
          types: [CREDIT_CARD]
      """;

  private final GuardHooks hooks =
      GuardHooks.builder()
          .classifier("support-topics", task -> task.contains("help"))
          .idLookup("tickets", Set.of("TCK-1")::contains)
          .build();

  @Test
  void everyBuiltInGuardCanBeConfiguredInOrder() {
    GuardChain chain = Guards.fromConfig(yaml(FULL), hooks);

    assertThat(chain.maxReasks()).isEqualTo(3);
    assertThat(chain.guards())
        .extracting(Guard::name)
        .containsExactly(
            "size-limit",
            "input-scope",
            "blocklist",
            "injection-heuristics",
            "prohibited-language",
            "json-schema",
            "id-validity",
            "pii-output",
            "pii-arguments");
    assertThat(Guards.types()).hasSize(8);
  }

  @Test
  void aConfiguredChainBehavesAsConfigured() {
    GuardChain chain = Guards.fromConfig(yaml(FULL), hooks);

    assertThat(chain.check(GuardSubject.input("support", "please help with my printer")).proceeds())
        .isTrue();
    assertThat(chain.check(GuardSubject.input("support", "write a poem")).outcome())
        .isInstanceOf(ChainResult.Outcome.Escalated.class);
    assertThat(
            chain
                .check(GuardSubject.toolArguments("support", "close_ticket", "{\"id\":\"TCK-2\"}"))
                .outcome())
        .isInstanceOf(ChainResult.Outcome.Reasked.class);
    assertThat(
            chain
                .check(
                    GuardSubject.toolArguments("support", "pay", "{\"card\":\"4111111111111111\"}"))
                .outcome())
        .isEqualTo(
            new ChainResult.Outcome.Blocked(
                "pii-arguments", "found 1 CREDIT_CARD in argument 'card' of tool 'pay'"));

    ChainResult answer =
        chain.check(
            GuardSubject.finalAnswer(
                "support", "{\"reply\":\"Mail support@acme.example or jane@example.com\"}"));
    assertThat(answer.proceeds()).isTrue();
    assertThat(answer.text())
        .isEqualTo("{\"reply\":\"Mail support@acme.example or [REDACTED:EMAIL]\"}");
    assertThat(answer.trips())
        .containsExactly(
            new GuardTrip(
                "pii-output",
                GuardStage.MODEL_OUTPUT,
                java.util.Optional.empty(),
                GuardTrip.Kind.REDACT,
                "redacted 1 EMAIL in the answer"));
  }

  @Test
  void theExampleInTheGuideBuildsAndWorks() throws Exception {
    String guide = Files.readString(Path.of("../docs/guards.md"));
    int section = guide.indexOf("## Configuration");
    int start = guide.indexOf("```yaml\n", section) + "```yaml\n".length();
    String block = guide.substring(start, guide.indexOf("```", start));
    @SuppressWarnings("unchecked")
    Map<String, Object> guards = (Map<String, Object>) yaml(block).get("guards");

    GuardChain chain = Guards.fromConfig(guards, hooks);

    assertThat(chain.guards()).hasSize(9);
    assertThat(chain.check(GuardSubject.input("support", "Where is my order ORD-1?")).proceeds())
        .isTrue();
    assertThat(
            chain
                .check(
                    GuardSubject.toolArguments(
                        "support",
                        "update_ticket",
                        "{\"id\":\"TCK-1\",\"note\":\"wire transfer\"}"))
                .outcome())
        .isEqualTo(
            new ChainResult.Outcome.Blocked(
                "blocklist",
                "blocked term 'wire transfer' in argument 'note' of tool 'update_ticket'"));
  }

  @Test
  void anEmptySectionIsAnEmptyChain() {
    GuardChain chain = Guards.fromConfig(Map.of());

    assertThat(chain.guards()).isEmpty();
    assertThat(chain.maxReasks()).isEqualTo(GuardChain.DEFAULT_MAX_REASKS);
  }

  @Test
  void anUnknownGuardTypeListsTheKnownOnes() {
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: [{type: profanity}]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guards.chain[0]: unknown guard type 'profanity'; known types: blocklist, id-validity,"
                + " injection-heuristics, input-scope, json-schema, pii, prohibited-language,"
                + " size-limit");
  }

  @Test
  void anUnknownKeyNamesTheEntryAndListsTheKnownKeys() {
    assertThatThrownBy(
            () -> Guards.fromConfig(yaml("chain: [{type: blocklist, domain: [x.example]}]")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "guards.chain[0] (blocklist): unknown key 'domain'; known keys: action, domains, name,"
                + " stages, terms, type");
    assertThatThrownBy(() -> Guards.fromConfig(yaml("max-retries: 2")))
        .hasMessage("guards: unknown key 'max-retries'; known keys: chain, max-reasks");
  }

  @Test
  void wrongValueTypesNameTheKeyAndTheValue() {
    assertThatThrownBy(
            () -> Guards.fromConfig(yaml("chain: [{type: prohibited-language, terms: damn}]")))
        .hasMessage(
            "guards.chain[0] (prohibited-language).terms: must be a list of strings, but was the"
                + " string 'damn'");
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: [{type: size-limit, input: lots}]")))
        .hasMessage(
            "guards.chain[0] (size-limit).input: must be a whole number, but was the string"
                + " 'lots'");
    assertThatThrownBy(
            () -> Guards.fromConfig(yaml("chain: [{type: pii, stages: [model-outputs]}]")))
        .hasMessage(
            "guards.chain[0] (pii).stages: unknown guard stage 'model-outputs'; expected one of"
                + " input, model-output, tool-arguments, tool-result");
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: [{type: pii, types: [passport]}]")))
        .hasMessageStartingWith(
            "guards.chain[0] (pii).types[0]: unknown PII type 'passport'; known types:"
                + " private-key, jwt, api-key,");
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: [{type: pii, action: hide}]")))
        .hasMessageStartingWith(
            "guards.chain[0] (pii).action: unknown guard action 'hide'; expected one of flag,");
  }

  @Test
  void builderErrorsArePrefixedWithTheEntry() {
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: [{type: blocklist}]")))
        .hasMessage(
            "guards.chain[0] (blocklist): guard 'blocklist' needs at least one blocked domain or"
                + " term");
    assertThatThrownBy(
            () ->
                Guards.fromConfig(
                    yaml(
                        "chain: [{type: size-limit, tool-result: {max-chars: 10, action: truncate}}]")))
        .hasMessage(
            "guards.chain[0] (size-limit): guard 'size-limit': the tool-result limit must be at"
                + " least 100 to truncate, but was 10");
  }

  @Test
  void hooksMustBeRegistered() {
    assertThatThrownBy(
            () ->
                Guards.fromConfig(
                    yaml("chain: [{type: id-validity, id-pattern: 'X-\\d+', lookup: orders}]"),
                    hooks))
        .hasMessage(
            "guards.chain[0] (id-validity).lookup: no id lookup named 'orders' is registered;"
                + " registered: tickets");
    assertThatThrownBy(
            () -> Guards.fromConfig(yaml("chain: [{type: input-scope, classifier: topics}]")))
        .hasMessage(
            "guards.chain[0] (input-scope).classifier: no scope classifier named 'topics' is"
                + " registered (none are registered; pass them in GuardHooks)");
  }

  @Test
  void duplicateNamesAndBadChainsAreRejected() {
    assertThatThrownBy(
            () -> Guards.fromConfig(yaml("chain: [{type: pii}, {type: pii, action: block}]")))
        .hasMessageContaining("two guards are named 'pii'");
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: {type: pii}")))
        .hasMessage("guards.chain: must be a list of guards, but was a map");
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: [pii]")))
        .hasMessage(
            "guards.chain[0]: a guard must be a map with a 'type', but was the string 'pii'");
    assertThatThrownBy(() -> Guards.fromConfig(yaml("chain: [{name: x}]")))
        .hasMessageStartingWith("guards.chain[0]: every guard needs a 'type', one of blocklist,");
  }

  @Test
  void aSchemaMayAlsoBeGivenAsJsonText() {
    GuardChain chain =
        Guards.fromConfig(
            Map.of(
                "chain", List.of(Map.of("type", "json-schema", "schema", "{\"type\":\"array\"}"))));

    assertThat(chain.check(GuardSubject.finalAnswer("w", "[1,2]")).proceeds()).isTrue();
    assertThat(chain.check(GuardSubject.finalAnswer("w", "{}")).proceeds()).isFalse();
  }
}
