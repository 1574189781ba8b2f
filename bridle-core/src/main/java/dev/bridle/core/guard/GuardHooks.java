package dev.bridle.core.guard;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Code that a guard configuration refers to by name, because a workflow file cannot hold code:
 * scope classifiers for {@link InputScopeGuard} ({@code classifier: <name>}) and id lookups for
 * {@link IdValidityGuard} ({@code lookup: <name>}). Immutable.
 */
public final class GuardHooks {

  private static final GuardHooks NONE = builder().build();

  private final Map<String, InputScopeGuard.Classifier> classifiers;
  private final Map<String, Predicate<String>> idLookups;

  private GuardHooks(Builder b) {
    this.classifiers = Map.copyOf(b.classifiers);
    this.idLookups = Map.copyOf(b.idLookups);
  }

  /** No hooks: configurations that name one fail with a clear error. */
  public static GuardHooks none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The classifier registered as {@code name}. */
  public Optional<InputScopeGuard.Classifier> classifier(String name) {
    return Optional.ofNullable(classifiers.get(name));
  }

  /** The id lookup registered as {@code name}. */
  public Optional<Predicate<String>> idLookup(String name) {
    return Optional.ofNullable(idLookups.get(name));
  }

  /** Names of the registered classifiers, sorted. */
  public Iterable<String> classifierNames() {
    return new TreeMap<>(classifiers).keySet();
  }

  /** Names of the registered id lookups, sorted. */
  public Iterable<String> idLookupNames() {
    return new TreeMap<>(idLookups).keySet();
  }

  /** Builds {@link GuardHooks}. */
  public static final class Builder {
    private final Map<String, InputScopeGuard.Classifier> classifiers = new TreeMap<>();
    private final Map<String, Predicate<String>> idLookups = new TreeMap<>();

    private Builder() {}

    /** Registers a scope classifier under {@code name}. */
    public Builder classifier(String name, InputScopeGuard.Classifier classifier) {
      classifiers.put(
          GuardSettings.requireName(name), Objects.requireNonNull(classifier, "classifier"));
      return this;
    }

    /** Registers an id lookup (true when the id exists) under {@code name}. */
    public Builder idLookup(String name, Predicate<String> exists) {
      idLookups.put(GuardSettings.requireName(name), Objects.requireNonNull(exists, "exists"));
      return this;
    }

    public GuardHooks build() {
      return new GuardHooks(this);
    }
  }
}
