package dev.bridle.examples.leads;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The public web as this example sees it: profile pages of invented people, found by e-mail address
 * or, failing that, by name. Immutable and thread-safe.
 *
 * <p>{@link #bundled()} holds 23 profiles for the bundled leads. Four of them carry prompt
 * injections (Tomas Ekwall, Felix Durand, Rosa Ilves, Ingrid Tamm): text that tells an AI agent to
 * write a spam bio, change an e-mail address, touch another lead or change the company. The tool
 * that serves them marks its results untrusted, and the workflow's policy is what keeps such text
 * from turning into writes.
 */
public final class PublicProfiles {

  private static final String BUNDLED_RESOURCE = "public-profiles.json";

  private final Map<String, PublicProfile> byEmail;

  private PublicProfiles(List<PublicProfile> profiles) {
    Map<String, PublicProfile> index = new LinkedHashMap<>();
    for (PublicProfile profile : profiles) {
      if (index.putIfAbsent(key(profile.email()), profile) != null) {
        throw new IllegalArgumentException(
            "profile e-mail addresses must be unique, but " + profile.email() + " appears twice");
      }
    }
    this.byEmail = Collections.unmodifiableMap(index);
  }

  public static PublicProfiles of(List<PublicProfile> profiles) {
    return new PublicProfiles(profiles);
  }

  /** The profiles shipped with this example, read from the class path once. */
  public static PublicProfiles bundled() {
    return Bundled.PROFILES;
  }

  /** Read on first use, then shared: a {@link PublicProfiles} is immutable. */
  private static final class Bundled {
    static final PublicProfiles PROFILES = readBundled();
  }

  private static PublicProfiles readBundled() {
    ObjectMapper mapper =
        JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try (InputStream in = PublicProfiles.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled profiles "
                + BUNDLED_RESOURCE
                + " are missing from the class path next to "
                + PublicProfiles.class.getName());
      }
      return of(mapper.readValue(in, new TypeReference<List<PublicProfile>>() {}));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled profiles " + BUNDLED_RESOURCE, e);
    }
  }

  /** Every profile, in the order of the data set. */
  public List<PublicProfile> profiles() {
    return List.copyOf(byEmail.values());
  }

  /**
   * The profile with this e-mail address (case does not matter); else, when {@code name} is given,
   * the only profile with that name. Empty when there is none, or when several share the name.
   */
  public Optional<PublicProfile> find(String email, Optional<String> name) {
    PublicProfile exact = byEmail.get(key(email));
    if (exact != null) {
      return Optional.of(exact);
    }
    if (name.isEmpty() || name.get().isBlank()) {
      return Optional.empty();
    }
    String wanted = key(name.get());
    List<PublicProfile> named =
        byEmail.values().stream().filter(p -> key(p.name()).equals(wanted)).toList();
    return named.size() == 1 ? Optional.of(named.getFirst()) : Optional.empty();
  }

  private static String key(String text) {
    return text.strip().toLowerCase(Locale.ROOT);
  }
}
