package dev.bridle.core.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.model.ToolSpec;
import java.time.Duration;
import java.util.Objects;
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

  private Tool(Builder<A> builder) {
    this.name = builder.name;
    this.description = builder.description;
    this.argumentType = builder.argumentType;
    this.schema = ArgumentSchemas.generate(builder.argumentType);
    this.effect = builder.effect;
    this.idempotent = builder.idempotent;
    this.timeout = builder.timeout;
    this.handler = builder.handler;
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

  /** What the model is told about this tool. */
  public ToolSpec spec() {
    return new ToolSpec(name, description, schema.deepCopy());
  }

  ObjectNode schemaForValidation() {
    return schema;
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
      return new Tool<>(this);
    }
  }
}
