package dev.bridle.eval;

import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import dev.bridle.core.model.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Suites over the test workflows in {@code src/test/resources/workflows}. */
final class EvalFixtures {

  static final Path CRM = workflow("crm.yaml");
  static final Path CRM_AUTONOMOUS = workflow("crm-autonomous.yaml");
  static final Path LEGACY = workflow("legacy.yaml");
  static final Path CRM_FIELDS = workflow("crm-fields.yaml");

  private EvalFixtures() {}

  static Path workflow(String name) {
    return Path.of("src", "test", "resources", "workflows", name).toAbsolutePath();
  }

  /**
   * Writes {@code cases} (YAML, the {@code cases:} list) as a suite evaluating {@code workflow}.
   */
  static EvalSuite suite(Path dir, Path workflow, String cases) throws Exception {
    Path file = dir.resolve("suite-" + System.nanoTime() + ".yaml");
    Files.writeString(file, "suite: test\nworkflow: " + workflow + "\n" + cases);
    return Suites.load(file);
  }

  /** A model that answers with a fixed text and records what it was asked. */
  static final class Recording implements ChatModel {
    final List<ModelRequest> requests = new CopyOnWriteArrayList<>();
    private final String reply;
    private final String id;
    private final Usage usage;

    Recording(String id, String reply, Usage usage) {
      this.id = id;
      this.reply = reply;
      this.usage = usage;
    }

    @Override
    public ModelResponse chat(ModelRequest request) {
      requests.add(request);
      return new ModelResponse(ChatMessage.Assistant.text(reply), usage, id);
    }

    @Override
    public String id() {
      return id;
    }
  }
}
