package dev.bridle.core.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ToolSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A typed tool: a name, a description, an argument record whose JSON Schema is generated, an {@link
 * Effect}, an idempotency flag and a timeout. Build one with {@link #builder(String, Class)} or
 * from annotated methods with {@link Tools#fromAnnotated(Object)}.
 *
 * @param <A> the argument type, a record (or {@link NoArguments})
 */
public final class Tool<A> {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final String description;
  private final Class<A> argumentType;
  private final ObjectNode schema;
  private final Effect effect;
  private final boolean idempotent;
  private final Duration timeout;
  private final ToolHandler<A> handler;
  private final boolean reversible;
  private final java.util.List<String> sensitiveArguments;
  private final String resourceArgument;
  private final boolean untrustedResults;
  private final Preview<A> preview;
  private final Precondition<A> precondition;

  private Tool(Builder<A> builder) {
    this.name = builder.name;
    this.description = builder.description;
    this.argumentType = builder.argumentType;
    this.schema = ArgumentSchemas.generate(builder.argumentType);
    this.effect = builder.effect;
    this.idempotent = builder.idempotent;
    this.timeout = builder.timeout;
    this.handler = builder.handler;
    this.reversible = builder.reversible;
    this.sensitiveArguments = java.util.List.copyOf(builder.sensitiveArguments);
    this.resourceArgument = builder.resourceArgument;
    this.untrustedResults = builder.untrustedResults;
    this.preview = builder.preview;
    this.precondition = builder.precondition;
  }

  public static <A> Builder<A> builder(String name, Class<A> argumentType) {
    return new Builder<>(name, argumentType);
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public Class<A> argumentType() {
    return argumentType;
  }

  /**
   * The JSON Schema (draft 2020-12) of the arguments object. A copy: changing it changes nothing.
   */
  public ObjectNode schema() {
    return schema.deepCopy();
  }

  public Effect effect() {
    return effect;
  }

  /** Whether running the call twice with the same idempotency key has the effect of once. */
  public boolean idempotent() {
    return idempotent;
  }

  public Duration timeout() {
    return timeout;
  }

  public ToolHandler<A> handler() {
    return handler;
  }

  /** Whether every change the tool makes is reported with its inverse call ({@link ToolOutput}). */
  public boolean reversible() {
    return reversible;
  }

  /** Arguments (dotted paths) whose values must not come only from untrusted content. */
  public java.util.List<String> sensitiveArguments() {
    return sensitiveArguments;
  }

  /** The argument naming the record a call acts on, matched by policy rules; null when none. */
  public String resourceArgument() {
    return resourceArgument;
  }

  /** Whether the tool's results are untrusted content (e-mails, web pages, outsiders' text). */
  public boolean untrustedResults() {
    return untrustedResults;
  }

  /** What policy knows about this tool. */
  public dev.bridle.core.policy.PolicyRequest.ToolFacts facts() {
    return new dev.bridle.core.policy.PolicyRequest.ToolFacts(
        name, effect, reversible, sensitiveArguments, resourceArgument, untrustedResults);
  }

  /**
   * What an approver sees before the call happens: the e-mail as it would be sent, a field before
   * and after. Without a preview function, the arguments.
   */
  public String preview(Object arguments, String canonicalArguments) {
    if (preview == null) {
      return name + " " + canonicalArguments;
    }
    try {
      @SuppressWarnings("unchecked")
      String text = ((Preview<Object>) (Preview<?>) preview).render(arguments);
      return text == null ? name + " " + canonicalArguments : text;
    } catch (Exception e) {
      return name
          + " "
          + canonicalArguments
          + " (preview failed: "
          + e.getClass().getSimpleName()
          + ")";
    }
  }

  /** The tool's precondition check, if it declares one ({@link Builder#precondition}). */
  public Optional<Precondition<A>> precondition() {
    return Optional.ofNullable(precondition);
  }

  /**
   * A read-only check of the state a call needs before anyone is asked to approve it: is the order
   * still pending, does the gift card cover the amount. The loop runs it after the arguments are
   * validated and the argument guards ran, and before a human is asked or the tool runs; again
   * right before an approved call runs, because the state may have changed while the call waited;
   * and in shadow mode, so that shadowed calls are the ones that would really run. It must not
   * change anything. It is bounded by the tool's timeout.
   *
   * @param <A> the argument type
   */
  @FunctionalInterface
  public interface Precondition<A> {
    /**
     * Empty when the call may proceed; otherwise why it cannot, written for the model (it reads it
     * as the call's result). An exception fails the call: it is not run and not sent for approval.
     */
    Optional<String> check(A arguments, ToolContext context) throws Exception;
  }

  /** Renders the effect of a call for its approver. */
  @FunctionalInterface
  public interface Preview<A> {
    String render(A arguments) throws Exception;
  }

  /**
   * The same tool with another handler: same name, schema, effect and declarations. For replays and
   * tests that must not touch the real system, so the precondition, which reads the real system, is
   * not kept: give the new tool one with {@link #withPrecondition}.
   */
  public Tool<A> withHandler(ToolHandler<A> newHandler) {
    Builder<A> builder =
        new Builder<>(name, argumentType)
            .description(description)
            .effect(effect)
            .idempotent(idempotent)
            .timeout(timeout)
            .reversible(reversible)
            .untrustedResults(untrustedResults)
            .handler(newHandler);
    builder.sensitiveArguments.addAll(sensitiveArguments);
    builder.resourceArgument = resourceArgument;
    builder.preview = preview;
    return builder.build();
  }

  /** The same tool with {@code newPrecondition} as its precondition check. */
  public Tool<A> withPrecondition(Precondition<A> newPrecondition) {
    Objects.requireNonNull(newPrecondition, "precondition");
    Builder<A> builder =
        new Builder<>(name, argumentType)
            .description(description)
            .effect(effect)
            .idempotent(idempotent)
            .timeout(timeout)
            .reversible(reversible)
            .untrustedResults(untrustedResults)
            .handler(handler)
            .precondition(newPrecondition);
    builder.sensitiveArguments.addAll(sensitiveArguments);
    builder.resourceArgument = resourceArgument;
    builder.preview = preview;
    return builder.build();
  }

  /** What the model is told about this tool. */
  public ToolSpec spec() {
    return new ToolSpec(name, description, schema.deepCopy());
  }

  @Override
  public String toString() {
    return "Tool[" + name + ", " + effect + (idempotent ? ", idempotent" : "") + "]";
  }

  /** Builds a {@link Tool}; {@link #build()} checks every field and names the one that is wrong. */
  public static final class Builder<A> {
    private final String name;
    private final Class<A> argumentType;
    private String description = "";
    private Effect effect = Effect.READ;
    private boolean idempotent;
    private Duration timeout = DEFAULT_TIMEOUT;
    private ToolHandler<A> handler;
    private boolean reversible;
    private final java.util.List<String> sensitiveArguments = new java.util.ArrayList<>();
    private String resourceArgument;
    private boolean untrustedResults;
    private Preview<A> preview;
    private Precondition<A> precondition;

    private Builder(String name, Class<A> argumentType) {
      this.name = Objects.requireNonNull(name, "name");
      this.argumentType = Objects.requireNonNull(argumentType, "argumentType");
    }

    public Builder<A> description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    public Builder<A> effect(Effect effect) {
      this.effect = Objects.requireNonNull(effect, "effect");
      return this;
    }

    public Builder<A> idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    public Builder<A> timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder<A> handler(ToolHandler<A> handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Declares that the tool reports every change with its inverse call ({@link ToolOutput}). */
    public Builder<A> reversible(boolean reversible) {
      this.reversible = reversible;
      return this;
    }

    /**
     * Declares sensitive arguments (recipient, IBAN, URL, amount): a value that only untrusted
     * content supplied needs a human (provenance, DESIGN §4).
     */
    public Builder<A> sensitive(String... arguments) {
      sensitiveArguments.addAll(java.util.List.of(arguments));
      return this;
    }

    /** Names the argument that identifies the record a call acts on, for policy rules. */
    public Builder<A> resource(String argument) {
      this.resourceArgument = Objects.requireNonNull(argument, "argument");
      return this;
    }

    /** Marks the tool's results as untrusted content. */
    public Builder<A> untrustedResults(boolean untrusted) {
      this.untrustedResults = untrusted;
      return this;
    }

    /** How an approver sees a call's effect before it happens. */
    public Builder<A> preview(Preview<A> preview) {
      this.preview = Objects.requireNonNull(preview, "preview");
      return this;
    }

    /**
     * A read-only check run before a human is asked to approve a call and before the call runs (see
     * {@link Precondition}): a call whose precondition fails is refused with its message, without
     * an approval and without running.
     */
    public Builder<A> precondition(Precondition<A> precondition) {
      this.precondition = Objects.requireNonNull(precondition, "precondition");
      return this;
    }

    public Tool<A> build() {
      if (!NAME.matcher(name).matches()) {
        throw new ConfigurationException(
            "tool name must match [a-zA-Z0-9_-]{1,64}, but was '" + name + "'");
      }
      if (description.isBlank()) {
        throw new ConfigurationException(
            "tool '" + name + "': description must not be blank (the model reads it)");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new ConfigurationException(
            "tool '" + name + "': timeout must be positive, but was " + timeout);
      }
      if (handler == null) {
        throw new ConfigurationException("tool '" + name + "': handler is required");
      }
      if (!argumentType.isRecord() && argumentType != NoArguments.class) {
        throw new ConfigurationException(
            "tool '"
                + name
                + "': argument type must be a record, but was "
                + argumentType.getName());
      }
      if (reversible && effect != Effect.WRITE) {
        throw new ConfigurationException(
            "tool '"
                + name
                + "': only WRITE tools are reversible (an inverse undoes an internal change), but"
                + " the effect is "
                + effect);
      }
      return new Tool<>(this);
    }
  }
}
