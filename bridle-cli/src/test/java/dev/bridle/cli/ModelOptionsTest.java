package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.ScriptedChatModel;
import dev.bridle.core.workflow.WorkflowDefinition;
import dev.bridle.core.workflow.Workflows;
import dev.bridle.models.resilience.CascadeChatModel;
import dev.bridle.models.resilience.CircuitOpenException;
import dev.bridle.models.resilience.ResilientChatModel;
import dev.bridle.testkit.FakeOpenAiServer;
import dev.bridle.testkit.Fault;
import dev.bridle.testkit.Responders;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link ModelOptions} builds a run's model from a workflow file: provider models behind
 * retries and the process's circuit breakers, cascades, {@code --model} overrides, and the scripted
 * model as it is. Real adapters against fake OpenAI servers on port 0.
 */
class ModelOptionsTest {

  private static final Path FILE = Path.of("wf.yaml");
  private static final ModelRequest HELLO =
      new ModelRequest(List.of(new ChatMessage.User("Hello")), List.of());

  private final FakeOpenAiServer cheap =
      FakeOpenAiServer.builder().responder(Responders.text("from the cheap model")).build().start();
  private final FakeOpenAiServer strong =
      FakeOpenAiServer.builder()
          .responder(Responders.text("from the strong model"))
          .build()
          .start();
  private final ModelOptions options = new ModelOptions();

  @AfterEach
  void stopTheServers() {
    cheap.close();
    strong.close();
  }

  @Test
  void theScriptedModelIsPlayedAsItIs() {
    WorkflowDefinition workflow =
        workflow(
            "model: {provider: openai, name: gpt-test, base-url: \""
                + cheap.baseUrl()
                + "\"}\n"
                + "script:\n  - say: Scripted.\n");
    options.model = "scripted";

    assertThat(options.choose(workflow, FILE)).isInstanceOf(ScriptedChatModel.class);
    assertThat(cheap.requestCount()).isZero();
  }

  @Test
  void aProviderModelRetriesAFailureWithTheWorkflowsSettings() {
    WorkflowDefinition workflow =
        workflow(single(cheap) + "resilience: {initial-backoff: 1ms, max-backoff: 5ms}\n");
    cheap.enqueueFault(Fault.serverError());

    ChatModel model = options.choose(workflow, FILE);
    ModelResponse response = model.chat(HELLO);

    assertThat(model)
        .isInstanceOfSatisfying(
            ResilientChatModel.class,
            resilient -> assertThat(resilient.provider()).isEqualTo("openai@" + cheap.baseUrl()));
    assertThat(response.message().text()).isEqualTo("from the cheap model");
    assertThat(cheap.requestCount()).isEqualTo(2);
  }

  @Test
  void oneAttemptMeansNoRetry() {
    WorkflowDefinition workflow = workflow(single(cheap) + "resilience: {max-attempts: 1}\n");
    cheap.enqueueFault(Fault.serverError());
    ChatModel model = options.choose(workflow, FILE);

    assertThatThrownBy(() -> model.chat(HELLO))
        .isInstanceOfSatisfying(
            ModelException.class,
            e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.PROVIDER_ERROR));
    assertThat(cheap.requestCount()).isEqualTo(1);
  }

  @Test
  void aCascadeMovesToTheStrongerModelWhenTheCheapOneFails() {
    WorkflowDefinition workflow = workflow(cascade() + "resilience: {max-attempts: 1}\n");
    cheap.faultEveryRequest(Fault.serverError());

    ChatModel model = options.choose(workflow, FILE);
    ModelResponse response = model.chat(HELLO);

    assertThat(model).isInstanceOf(CascadeChatModel.class);
    assertThat(((CascadeChatModel) model).models())
        .allSatisfy(member -> assertThat(member).isInstanceOf(ResilientChatModel.class));
    assertThat(response.message().text()).isEqualTo("from the strong model");
    assertThat(cheap.requestCount()).isEqualTo(1);
    assertThat(strong.requestCount()).isEqualTo(1);
  }

  @Test
  void modelReplacesTheCascadeAndKeepsTheSettingsOfTheMemberItNames() {
    WorkflowDefinition workflow = workflow(cascade());
    options.model = "openai:gpt-strong";

    ChatModel model = options.choose(workflow, FILE);

    assertThat(model)
        .isInstanceOfSatisfying(
            ResilientChatModel.class,
            resilient -> {
              assertThat(resilient.id()).isEqualTo("openai:gpt-strong");
              assertThat(resilient.provider()).isEqualTo("openai@" + strong.baseUrl());
            });
    assertThat(model.chat(HELLO).message().text()).isEqualTo("from the strong model");
    assertThat(cheap.requestCount()).isZero();
  }

  @Test
  void modelUrlAndApiKeyEnvNeedOneModel() {
    WorkflowDefinition workflow = workflow(cascade());
    options.modelUrl = cheap.baseUrl();

    assertThatThrownBy(() -> options.choose(workflow, FILE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "wf.yaml: --model-url and --api-key-env apply to one model, but the workflow lists a"
                + " cascade of 2 (openai:gpt-cheap, openai:gpt-strong); choose one with --model");
  }

  @Test
  void modelsOfOneEndpointShareTheProcesssBreaker() {
    String settings =
        "resilience:\n"
            + "  max-attempts: 1\n"
            + "  breaker: {sliding-window-calls: 2, minimum-calls: 2, open-for: 1h}\n";
    cheap.faultEveryRequest(Fault.serverError());
    ChatModel first = options.choose(workflow(single(cheap) + settings), FILE);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> first.chat(HELLO)).isInstanceOf(ModelException.class);
    }

    ChatModel second = new ModelOptions().choose(workflow(single(cheap) + settings), FILE);

    assertThatThrownBy(() -> second.chat(HELLO))
        .isInstanceOf(CircuitOpenException.class)
        .hasMessageStartingWith("circuit open for provider openai@" + cheap.baseUrl());
    assertThat(cheap.requestCount()).as("the open breaker kept the call away").isEqualTo(2);
  }

  @Test
  void settingsTheModelLayerRefusesNameTheFile() {
    WorkflowDefinition workflow =
        workflow(single(cheap) + "resilience: {breaker: {minimum-calls: 25}}\n");

    assertThatThrownBy(() -> options.choose(workflow, FILE))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "wf.yaml: resilience: minimum-calls must be between 1 and sliding-window-calls (20),"
                + " but was 25");
  }

  private static WorkflowDefinition workflow(String models) {
    return Workflows.parse(
        FILE.toString(),
        """
        name: models-test
        version: "1"
        goal: Say hello.
        tools: [support-triage]
        """
            + models);
  }

  private static String single(FakeOpenAiServer server) {
    return "model: {provider: openai, name: gpt-cheap, base-url: \"" + server.baseUrl() + "\"}\n";
  }

  private String cascade() {
    return "models:\n"
        + "  - {provider: openai, name: gpt-cheap, base-url: \""
        + cheap.baseUrl()
        + "\"}\n"
        + "  - {provider: openai, name: gpt-strong, base-url: \""
        + strong.baseUrl()
        + "\", timeout: 30s}\n";
  }
}
