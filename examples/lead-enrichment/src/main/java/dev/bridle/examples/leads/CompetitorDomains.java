package dev.bridle.examples.leads;

import dev.bridle.core.policy.ArgumentConstraint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The competitor blocklist and the input check built on it: a sign-up whose text names an address
 * or a domain of a competitor stops before the agent runs, so no model call, profile lookup or
 * write happens for it. A domain also covers its subdomains ({@code leadloom.example} blocks {@code
 * chloe@eu.leadloom.example}).
 *
 * <p>Domains are matched exactly as the workflow policy's {@code recipients} constraint matches
 * them (it is the same {@link ArgumentConstraint.Recipients} check), so the input check and the
 * policy agree on what a competitor is. The workflow file's {@code competitors} blocklist guard
 * makes the same check inside the run loop, before anything is recorded or a model is asked; a test
 * holds the two to the same list and the same answers. Call {@link #screen} yourself to refuse a
 * sign-up before a run is even submitted.
 */
public final class CompetitorDomains {

  private static final String BUNDLED_RESOURCE = "competitor-domains.txt";

  /** An e-mail address, or a domain name (which also covers the host of a URL). */
  private static final Pattern ADDRESS_OR_DOMAIN =
      Pattern.compile(
          "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+|(?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,}");

  private final Set<String> domains;
  private final ArgumentConstraint.Recipients blocklist;

  private CompetitorDomains(Set<String> domains) {
    this.domains = domains;
    this.blocklist = new ArgumentConstraint.Recipients("*", "email", Set.of(), domains);
  }

  /** A blocklist of these domains (or single addresses, written with an {@code @}). */
  public static CompetitorDomains of(Collection<String> domains) {
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("a competitor blocklist needs at least one domain");
    }
    domains.forEach(
        domain -> {
          if (domain.isBlank() || domain.strip().contains(" ")) {
            throw new IllegalArgumentException(
                "a competitor domain must be one word like rivalreach.example, but was '"
                    + domain
                    + "'");
          }
        });
    return new CompetitorDomains(
        Set.copyOf(domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).toList()));
  }

  /**
   * The blocklist shipped with this example ({@code competitor-domains.txt}: one domain a line,
   * {@code #} starts a comment).
   */
  public static CompetitorDomains bundled() {
    try (InputStream in = CompetitorDomains.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled blocklist "
                + BUNDLED_RESOURCE
                + " is missing from the class path next to "
                + CompetitorDomains.class.getName());
      }
      List<String> lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
              .lines()
              .map(line -> line.replaceFirst("#.*", "").strip())
              .filter(line -> !line.isEmpty())
              .toList();
      return of(lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled blocklist " + BUNDLED_RESOURCE, e);
    }
  }

  /** The blocked domains, lower-case. */
  public Set<String> domains() {
    return domains;
  }

  /** Whether an e-mail address, a domain or a URL belongs to a competitor. */
  public boolean blocks(String addressOrDomain) {
    return blocklist.blocks(Objects.requireNonNull(addressOrDomain, "addressOrDomain"));
  }

  /**
   * Checks a run's input: the first address or domain in it that belongs to a competitor, or empty
   * when the input may go to the agent.
   */
  public Optional<Refusal> screen(String input) {
    Objects.requireNonNull(input, "input");
    Matcher candidates = ADDRESS_OR_DOMAIN.matcher(input);
    while (candidates.find()) {
      String candidate = candidates.group();
      if (blocks(candidate)) {
        return Optional.of(new Refusal(candidate));
      }
    }
    return Optional.empty();
  }

  /** Why an input was refused: it names {@code value}, which is on the competitor blocklist. */
  public record Refusal(String value) {
    public Refusal {
      Objects.requireNonNull(value, "value");
    }

    /** One sentence for the operator. */
    public String reason() {
      return "input refused: "
          + value
          + " belongs to a competitor on the blocklist; competitors' leads are not enriched";
    }
  }
}
