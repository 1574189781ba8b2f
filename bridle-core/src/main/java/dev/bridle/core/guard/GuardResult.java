package dev.bridle.core.guard;

import java.util.Objects;

/**
 * What a guard decided about one {@link GuardSubject}. {@link Pass} lets the text through as is;
 * {@link Flag} lets it through but records a trip; {@link Redact} lets a changed text through;
 * {@link Block}, {@link Escalate} and {@link Reask} stop the chain.
 */
public sealed interface GuardResult {

  /** Nothing to report. */
  static GuardResult pass() {
    return Pass.INSTANCE;
  }

  /** Let the text through unchanged but record a trip: a signal, not a proof. */
  static GuardResult flag(String reason) {
    return new Flag(reason);
  }

  /** Let {@code newText} through instead; {@code findings} says what changed, without values. */
  static GuardResult redact(String newText, String findings) {
    return new Redact(newText, findings);
  }

  /** Refuse: the run (or this call) does not go ahead. */
  static GuardResult block(String reason) {
    return new Block(reason);
  }

  /** Hand the decision to a human. */
  static GuardResult escalate(String reason) {
    return new Escalate(reason);
  }

  /** Send {@code feedback} to the model and let it try again (the loop bounds the retries). */
  static GuardResult reask(String feedback) {
    return new Reask(feedback);
  }

  /** The text may go ahead unchanged. */
  record Pass() implements GuardResult {
    static final Pass INSTANCE = new Pass();
  }

  /**
   * The text may go ahead unchanged, and the trip is recorded.
   *
   * @param reason why the guard raised the flag
   */
  record Flag(String reason) implements GuardResult {
    public Flag {
      requireText(reason, "reason");
    }
  }

  /**
   * The text may go ahead in a changed form.
   *
   * @param text the text to use instead
   * @param findings what was changed, never the removed values ("2 EMAIL, 1 CREDIT_CARD")
   */
  record Redact(String text, String findings) implements GuardResult {
    public Redact {
      Objects.requireNonNull(text, "text");
      requireText(findings, "findings");
    }
  }

  /**
   * The text must not go ahead.
   *
   * @param reason why, for the journal and the caller
   */
  record Block(String reason) implements GuardResult {
    public Block {
      requireText(reason, "reason");
    }
  }

  /**
   * A human must decide.
   *
   * @param reason why, shown to the human
   */
  record Escalate(String reason) implements GuardResult {
    public Escalate {
      requireText(reason, "reason");
    }
  }

  /**
   * The model should try again.
   *
   * @param feedback what to tell the model: what was wrong and how to fix it
   */
  record Reask(String feedback) implements GuardResult {
    public Reask {
      requireText(feedback, "feedback");
    }
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
