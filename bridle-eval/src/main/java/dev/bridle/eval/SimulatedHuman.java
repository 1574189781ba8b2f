package dev.bridle.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.journal.RunEvent.Decision;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who answers a case's approvals (the case's {@code human:}): nobody, someone who approves or
 * rejects everything, or answers per tool, used in order.
 */
public sealed interface SimulatedHuman {

  /**
   * The answer to the {@code nth} approval (from 0) this run asks for {@code tool}; empty when
   * nobody answers it, and the run stays waiting.
   */
  Optional<Answer> answer(String tool, int nth);

  /** Nobody answers: a run that asks ends waiting ({@code needs-approval}). The default. */
  record None() implements SimulatedHuman {
    @Override
    public Optional<Answer> answer(String tool, int nth) {
      return Optional.empty();
    }
  }

  /** Every approval is approved as proposed. */
  record ApproveAll() implements SimulatedHuman {
    @Override
    public Optional<Answer> answer(String tool, int nth) {
      return Optional.of(new Answer(tool, Decision.APPROVE, Optional.empty(), ""));
    }
  }

  /** Every approval is rejected. */
  record RejectAll() implements SimulatedHuman {
    @Override
    public Optional<Answer> answer(String tool, int nth) {
      return Optional.of(
          new Answer(tool, Decision.REJECT, Optional.empty(), "rejected by the evaluation"));
    }
  }

  /**
   * Answers per tool: the nth approval of a tool gets the nth answer listed for it. An edit Bridle
   * refuses leaves the approval pending, and the tool's next answer answers it.
   */
  record PerTool(List<Answer> answers) implements SimulatedHuman {
    public PerTool {
      answers = List.copyOf(answers);
    }

    @Override
    public Optional<Answer> answer(String tool, int nth) {
      return answers.stream().filter(a -> a.tool().equals(tool)).skip(nth).findFirst();
    }
  }

  /**
   * One answer.
   *
   * @param decision {@link Decision#APPROVE}, {@link Decision#REJECT} or {@link Decision#EDIT}
   * @param arguments for an edit: the arguments that replace the proposal's arguments of the same
   *     names (the others stay)
   * @param comment the reviewer's message (a rejection's reason)
   */
  record Answer(String tool, Decision decision, Optional<JsonNode> arguments, String comment) {
    public Answer {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(arguments, "arguments");
      Objects.requireNonNull(comment, "comment");
      if (decision == Decision.EDIT && arguments.filter(JsonNode::isObject).isEmpty()) {
        throw new IllegalArgumentException(
            "an edit needs 'arguments', a mapping of names to values");
      }
      if (decision != Decision.EDIT && arguments.isPresent()) {
        throw new IllegalArgumentException("'arguments' belong to decision 'edit'");
      }
      if (decision == Decision.RESPOND) {
        throw new IllegalArgumentException("a simulated human approves, rejects or edits");
      }
    }
  }
}
