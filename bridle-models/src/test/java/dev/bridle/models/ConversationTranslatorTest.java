package dev.bridle.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ToolSpec;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationTranslatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ToolSpec tool(String name) {
    ObjectNode parameters = JSON.createObjectNode().put("type", "object");
    parameters.putObject("properties").putObject("n").put("type", "integer");
    return new ToolSpec(name, "Does " + name, parameters);
  }

  @Test
  void aToolIsTranslatedOnceAndEveryToolGetsItsOwnTranslation() {
    List<ToolSpec> tools = List.of(tool("noop"), tool("lookup"));
    List<ChatMessage> messages = List.of(new ChatMessage.User("go"));

    List<ToolSpecification> first = ConversationTranslator.toTools(tools);

    assertThat(first).extracting(ToolSpecification::name).containsExactly("noop", "lookup");
    // one tool: two could share a slot, and then take turns in it
    ToolSpecification noop = ConversationTranslator.toTools(List.of(tools.get(0))).get(0);
    assertThat(ConversationTranslator.toTools(new ArrayList<>(List.of(tools.get(0)))).get(0))
        .as("the same tool in another list")
        .isSameAs(noop);
    assertThat(
            ConversationTranslator.toChatRequest(new ModelRequest(messages, tools))
                .toolSpecifications())
        .isEqualTo(first);
    List<List<ToolSpec>> others = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      others.add(List.of(tool("tool-" + i)));
    }
    for (List<ToolSpec> other : others) {
      assertThat(ConversationTranslator.toTools(other))
          .extracting(ToolSpecification::name)
          .containsExactly(other.get(0).name());
    }
    assertThat(ConversationTranslator.toTools(List.of(tool("noop"), tool("lookup"))))
        .isEqualTo(first);
  }
}
