package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolProvider;
import dev.bridle.core.tool.ToolProviders;
import dev.bridle.testkit.ToolInvocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LeadEnrichmentTools#isolatedTools}: each set of tools works on its own CRM file in its own
 * directory, seeded from the case's fixtures, and never on the CRM at the default location.
 */
class IsolatedToolsTest {

  private static final String AGENT = "agent:lead-enrichment@1";
  private static final String BIO = "Head baker and co-owner of Fernhollow Bakery.";

  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  private Path defaultCrm;
  private String previousLocation;
  private ToolProvider provider;

  @BeforeEach
  void theProviderAsTheServiceLoaderBuildsItWithItsDefaultCrmInATempDirectory() {
    defaultCrm = dir.resolve("default/lead-crm.db");
    previousLocation = System.setProperty(LeadCrm.LOCATION_PROPERTY, defaultCrm.toString());
    provider = ToolProviders.find(LeadEnrichmentTools.NAME, getClass().getClassLoader());
  }

  @AfterEach
  void restoreTheCrmLocation() {
    if (previousLocation == null) {
      System.clearProperty(LeadCrm.LOCATION_PROPERTY);
    } else {
      System.setProperty(LeadCrm.LOCATION_PROPERTY, previousLocation);
    }
  }

  @Test
  void anEmptyObjectMeansTheBundledDataInANewFileInTheWorkDirectory() throws Exception {
    Path work = Files.createDirectory(dir.resolve("case-1"));

    List<Tool<?>> tools = provider.isolatedTools(json.createObjectNode(), work);

    assertThat(tools)
        .extracting(Tool::name)
        .containsExactly("get_lead", "find_public_profile", "update_lead_bio", "update_lead");
    ToolInvocations calls = invocations(tools);
    Lead mara = (Lead) calls.call("get_lead", "{\"lead_id\":\"L-1004\"}");
    assertThat(mara.name()).isEqualTo("Mara Quist");
    assertThat(((Lead) calls.call("get_lead", "{\"lead_id\":\"L-1030\"}")).name())
        .isEqualTo("Sofia Lindahl");
    assertThat(calls.call("find_public_profile", "{\"email\":\"mara.quist@fernhollow.example\"}"))
        .isInstanceOfSatisfying(
            PublicProfile.class, profile -> assertThat(profile.location()).isEqualTo("Millbrook"));
    assertThat(work.resolve("lead-crm.db")).isRegularFile();
    assertThat(defaultCrm).as("the default CRM is never opened").doesNotExist();
  }

  @Test
  void writesInOneIsolatedSetAreSeenNeitherByAnotherNorByTheDefaultCrm() throws Exception {
    ToolInvocations first =
        invocations(
            provider.isolatedTools(
                json.createObjectNode(), Files.createDirectory(dir.resolve("a"))));
    ToolInvocations second =
        invocations(
            provider.isolatedTools(
                json.createObjectNode(), Files.createDirectory(dir.resolve("b"))));

    first.call("update_lead_bio", bio("L-1004", BIO));
    first.call(
        "update_lead", "{\"lead_id\":\"L-1006\",\"changes\":{\"notes\":\"Changed in case a.\"}}");

    assertThat(((Lead) first.call("get_lead", "{\"lead_id\":\"L-1004\"}")).bio()).isEqualTo(BIO);
    assertThat(((Lead) second.call("get_lead", "{\"lead_id\":\"L-1004\"}")).bio()).isEmpty();
    assertThat(((Lead) second.call("get_lead", "{\"lead_id\":\"L-1006\"}")).notes())
        .isEqualTo("Design agency, 12 people.");
    assertThat(defaultCrm).as("the default CRM is never opened").doesNotExist();

    LeadCrm production = ((LeadEnrichmentTools) provider).crm();
    assertThat(production.require("L-1004").bio()).isEmpty();
    assertThat(production.writesOf("L-1004")).isEmpty();

    // And the other way round: a production write does not reach a new isolated set.
    invocations(provider.tools()).call("update_lead_bio", bio("L-1001", "Studio potter."));
    ToolInvocations third =
        invocations(
            provider.isolatedTools(
                json.createObjectNode(), Files.createDirectory(dir.resolve("c"))));
    assertThat(((Lead) third.call("get_lead", "{\"lead_id\":\"L-1001\"}")).bio()).isEmpty();
    assertThat(production.require("L-1001").bio()).isEqualTo("Studio potter.");
  }

  @Test
  void fixturesReplaceTheLeadsAndTheProfilesWithDefaultsForTheOptionalFields() throws Exception {
    JsonNode fixtures =
        json.readTree(
            """
            {"leads": [
               {"id": "L-2001", "name": "Nell Okafor", "email": "nell@tinderbox-games.example",
                "company": "Tinderbox Games", "notes": "Board game café."},
               {"id": "L-2002", "name": "Ravi Sundqvist", "email": "ravi@bluegill.example",
                "company": "Bluegill Boats", "bio": "Boat builder.", "updated_by": "import",
                "updated_at": "2026-10-01T08:00:00Z"}],
             "profiles": [
               {"email": "nell@tinderbox-games.example", "name": "Nell Okafor",
                "company": "Tinderbox Games", "headline": "Owner, Tinderbox Games"}]}
            """);

    ToolInvocations calls = invocations(provider.isolatedTools(fixtures, dir));

    Lead nell = (Lead) calls.call("get_lead", "{\"lead_id\":\"L-2001\"}");
    assertThat(nell.bio()).isEmpty();
    assertThat(nell.notes()).isEqualTo("Board game café.");
    assertThat(nell.updatedBy()).isEqualTo("signup-form");
    assertThat(nell.updatedAt()).isEqualTo(LeadFixtures.DEFAULT_UPDATED_AT);
    Lead ravi = (Lead) calls.call("get_lead", "{\"lead_id\":\"L-2002\"}");
    assertThat(ravi.bio()).isEqualTo("Boat builder.");
    assertThat(ravi.updatedBy()).isEqualTo("import");
    assertThat(calls.call("find_public_profile", "{\"email\":\"nell@tinderbox-games.example\"}"))
        .isInstanceOfSatisfying(
            PublicProfile.class,
            profile -> {
              assertThat(profile.headline()).isEqualTo("Owner, Tinderbox Games");
              assertThat(profile.about()).isEmpty();
            });
    assertThat(calls.call("find_public_profile", "{\"email\":\"mara.quist@fernhollow.example\"}"))
        .as("the bundled profiles are replaced")
        .isEqualTo("no public profile found for mara.quist@fernhollow.example");
    assertThatThrownBy(() -> calls.call("get_lead", "{\"lead_id\":\"L-1004\"}"))
        .isInstanceOf(UnknownLeadException.class)
        .hasMessage("no lead L-1004 in the CRM; ids are L-2001..L-2002");
  }

  @Test
  void anEmptyLeadsListIsAnEmptyCrmAndTheBundledProfilesStay() throws Exception {
    ToolInvocations calls =
        invocations(provider.isolatedTools(json.readTree("{\"leads\": []}"), dir));

    assertThatThrownBy(() -> calls.call("get_lead", "{\"lead_id\":\"L-1004\"}"))
        .isInstanceOf(UnknownLeadException.class)
        .hasMessage("no lead L-1004 in the CRM; ids are (none: the CRM is empty)");
    assertThat(calls.call("find_public_profile", "{\"email\":\"mara.quist@fernhollow.example\"}"))
        .isInstanceOf(PublicProfile.class);
  }

  @Test
  void unavailableToolsFailAsIfTheirServiceWereDownAndTheOthersWork() throws Exception {
    List<Tool<?>> tools =
        provider.isolatedTools(
            json.readTree("{\"unavailable\": [\"find_public_profile\", \"update_lead_bio\"]}"),
            dir);
    ToolInvocations calls = invocations(tools);

    assertThatThrownBy(
            () ->
                calls.call("find_public_profile", "{\"email\":\"mara.quist@fernhollow.example\"}"))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessage(
            "the service behind find_public_profile is unavailable (HTTP 503); nothing was read"
                + " or written");
    assertThatThrownBy(() -> calls.call("update_lead_bio", bio("L-1004", BIO)))
        .isInstanceOf(ServiceUnavailableException.class);
    assertThat(((Lead) calls.call("get_lead", "{\"lead_id\":\"L-1004\"}")).bio())
        .as("nothing was written")
        .isEmpty();
    assertThat(tools)
        .filteredOn(tool -> tool.name().equals("update_lead_bio"))
        .singleElement()
        .satisfies(
            tool -> {
              assertThat(tool.facts().effect()).hasToString("WRITE");
              assertThat(tool.facts().sensitiveArguments()).containsExactly("lead_id");
            });
  }

  @Test
  void aJsonNullMeansTheBundledData() throws Exception {
    ToolInvocations calls = invocations(provider.isolatedTools(NullNode.getInstance(), dir));

    assertThat(((Lead) calls.call("get_lead", "{\"lead_id\":\"L-1011\"}")).name())
        .isEqualTo("Felix Durand");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "[] | lead-enrichment fixtures: must be a JSON object, but was a list",
        "{\"lead\": []} | lead-enrichment fixtures: lead: unknown field; known fields: leads,"
            + " profiles, unavailable",
        "{\"leads\": {}} | lead-enrichment fixtures: leads: must be a list, but was an object",
        "{\"leads\": [\"L-1001\"]} | lead-enrichment fixtures: leads[0]: must be an object, but"
            + " was 'L-1001'",
        "{\"leads\": [{\"id\": \"L-1\", \"name\": \"A\", \"email\": \"a@b.example\", \"company\":"
            + " \"C\"}]} | lead-enrichment fixtures: leads[0].id: must be L- and four digits, like"
            + " L-1004, but was 'L-1'",
        "{\"leads\": [{\"id\": \"L-2001\", \"email\": \"a@b.example\", \"company\": \"C\"}]} |"
            + " lead-enrichment fixtures: leads[0].name: is required",
        "{\"leads\": [{\"id\": \"L-2001\", \"name\": \" \", \"email\": \"a@b.example\","
            + " \"company\": \"C\"}]} | lead-enrichment fixtures: leads[0].name: must be a"
            + " non-blank text, but was ' '",
        "{\"leads\": [{\"id\": \"L-2001\", \"name\": \"A\", \"email\": \"nobody\", \"company\":"
            + " \"C\"}]} | lead-enrichment fixtures: leads[0].email: must be an e-mail address, but"
            + " was 'nobody'",
        "{\"leads\": [{\"id\": \"L-2001\", \"name\": \"A\", \"email\": \"a@b.example\","
            + " \"company\": \"C\", \"phone\": \"1\"}]} | lead-enrichment fixtures: leads[0].phone:"
            + " unknown field; known fields: id, name, email, company, bio, notes, updated_by,"
            + " updated_at",
        "{\"leads\": [{\"id\": \"L-2001\", \"name\": \"A\", \"email\": \"a@b.example\","
            + " \"company\": \"C\", \"bio\": 7}]} | lead-enrichment fixtures: leads[0].bio: must be"
            + " a text, but was number 7",
        "{\"leads\": [{\"id\": \"L-2001\", \"name\": \"A\", \"email\": \"a@b.example\","
            + " \"company\": \"C\", \"updated_at\": \"yesterday\"}]} | lead-enrichment fixtures:"
            + " leads[0].updated_at: must be an ISO-8601 instant like 2026-11-02T09:00:00Z, but was"
            + " 'yesterday'",
        "{\"leads\": [{\"id\": \"L-2001\", \"name\": \"A\", \"email\": \"a@b.example\","
            + " \"company\": \"C\"}, {\"id\": \"L-2001\", \"name\": \"B\", \"email\":"
            + " \"b@b.example\", \"company\": \"C\"}]} | lead-enrichment fixtures: leads[1].id:"
            + " 'L-2001' appears twice (first at leads[0].id)",
        "{\"leads\": [{\"id\": \"L-2001\", \"name\": \"A\", \"email\": \"a@b.example\","
            + " \"company\": \"C\"}, {\"id\": \"L-2002\", \"name\": \"B\", \"email\":"
            + " \"A@B.example\", \"company\": \"C\"}]} | lead-enrichment fixtures: leads[1].email:"
            + " 'a@b.example' appears twice (first at leads[0].email)",
        "{\"profiles\": [{\"email\": \"a@b.example\", \"name\": \"A\"}]} | lead-enrichment"
            + " fixtures: profiles[0].company: is required",
        "{\"profiles\": [{\"email\": \"a@b.example\", \"name\": \"A\", \"company\": \"C\","
            + " \"url\": \"x\"}]} | lead-enrichment fixtures: profiles[0].url: unknown field; known"
            + " fields: email, name, headline, company, location, about, source",
        "{\"unavailable\": \"get_lead\"} | lead-enrichment fixtures: unavailable: must be a list,"
            + " but was 'get_lead'",
        "{\"unavailable\": [\"delete_lead\"]} | lead-enrichment fixtures: unavailable[0]: must be"
            + " one of [get_lead, find_public_profile, update_lead_bio, update_lead], but was"
            + " 'delete_lead'",
      })
  void badFixturesAreRejectedWithAMessageThatNamesTheField(String fixtures, String message)
      throws Exception {
    JsonNode tree = json.readTree(fixtures);

    assertThatThrownBy(() -> provider.isolatedTools(tree, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(dir.resolve("lead-crm.db")).as("nothing was created").doesNotExist();
  }

  private static ToolInvocations invocations(List<Tool<?>> tools) {
    return new ToolInvocations(tools, RunId.of("run-isolated-1"), AGENT);
  }

  private static String bio(String leadId, String bio) {
    return "{\"lead_id\":\"" + leadId + "\",\"bio\":\"" + bio + "\"}";
  }
}
