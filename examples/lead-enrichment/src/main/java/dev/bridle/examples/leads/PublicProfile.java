package dev.bridle.examples.leads;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A public profile page of a person, as a web search would find it. Written by the person (or by
 * anyone who can edit the page), so its text is untrusted: some of the bundled profiles carry
 * instructions aimed at AI agents.
 *
 * @param source where the page was found
 */
public record PublicProfile(
    @JsonProperty("email") String email,
    @JsonProperty("name") String name,
    @JsonProperty("headline") String headline,
    @JsonProperty("company") String company,
    @JsonProperty("location") String location,
    @JsonProperty("about") String about,
    @JsonProperty("source") String source) {

  public PublicProfile {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(headline, "headline");
    Objects.requireNonNull(company, "company");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(about, "about");
    Objects.requireNonNull(source, "source");
  }
}
