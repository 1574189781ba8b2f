package dev.bridle.models.resilience;

import dev.bridle.core.model.ModelRequest;
import dev.bridle.core.model.ModelResponse;
import java.util.Objects;

/**
 * Decides whether a cascade keeps a model's answer or escalates to the next model: output that
 * fails validation, trips a guard, or signals low confidence is rejected with a reason.
 *
 * <pre>{@code
 * ResponseCheck lowConfidence = (request, response) ->
 *     response.message().text().contains("I am not sure")
 *         ? ResponseCheck.Verdict.reject("low confidence: the model said it is not sure")
 *         : ResponseCheck.Verdict.accept();
 * }</pre>
 */
@FunctionalInterface
public interface ResponseCheck {

  Verdict check(ModelRequest request, ModelResponse response);

  /** Keep the answer or escalate. */
  sealed interface Verdict {
    /** Keep it. */
    record Accept() implements Verdict {}

    /** Escalate; {@code reason} goes into the escalation trace. */
    record Reject(String reason) implements Verdict {
      public Reject {
        Objects.requireNonNull(reason, "reason");
      }
    }

    static Verdict accept() {
      return new Accept();
    }

    static Verdict reject(String reason) {
      return new Reject(reason);
    }
  }

  /** Accepts every answer: the cascade escalates on failures only. */
  static ResponseCheck acceptAll() {
    return (request, response) -> Verdict.accept();
  }

  /** This check, then {@code next} if this one accepts. */
  default ResponseCheck and(ResponseCheck next) {
    Objects.requireNonNull(next, "next");
    return (request, response) ->
        switch (check(request, response)) {
          case Verdict.Accept accept -> next.check(request, response);
          case Verdict.Reject reject -> reject;
        };
  }
}
