package dev.bridle.examples.leads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRM against a real SQLite file in a temporary directory. */
class LeadCrmTest {

  private static final Instant NOW = Instant.parse("2026-11-20T10:15:30Z");

  @TempDir Path dir;

  @Test
  void theFirstUseCreatesTheFileAndItsDirectoryAndSeedsThirtyLeads() {
    Path file = dir.resolve("nested/crm.db");
    LeadCrm crm = LeadCrm.at(file);

    assertThat(file).doesNotExist();
    assertThat(crm.leads()).hasSize(30);
    assertThat(file).isRegularFile();
    assertThat(crm.leads().getFirst().id()).isEqualTo("L-1001");
    assertThat(crm.leads().getLast().id()).isEqualTo("L-1030");
    assertThat(crm.require("L-1004"))
        .satisfies(
            lead -> {
              assertThat(lead.name()).isEqualTo("Mara Quist");
              assertThat(lead.bio()).isEmpty();
              assertThat(lead.updatedBy()).isEqualTo("signup-form");
            });
  }

  @Test
  void anotherCrmOnTheSameFileSeesTheWritesAndDoesNotSeedAgain() throws Exception {
    Path file = dir.resolve("crm.db");
    LeadCrm.at(file)
        .write("L-1001", Map.of("bio", "Studio potter."), "agent:test@1", "run-1/call_1", NOW);

    LeadCrm reopened = LeadCrm.at(file);

    assertThat(reopened.leads()).hasSize(30);
    assertThat(reopened.require("L-1001").bio()).isEqualTo("Studio potter.");
    assertThat(rowCount(file, "leads")).isEqualTo(30);
  }

  @Test
  void aWriteChangesOnlyTheGivenFieldsAndStampsWhoAndWhen() {
    LeadCrm crm = LeadCrm.at(dir.resolve("crm.db"));
    Lead before = crm.require("L-1002");

    LeadWrite write =
        crm.write("L-1002", Map.of("bio", "Candle maker."), "agent:test@1", "run-1/call_1", NOW);

    Lead after = crm.require("L-1002");
    assertThat(write.before()).containsExactly(Map.entry("bio", before.bio()));
    assertThat(write.after()).containsExactly(Map.entry("bio", "Candle maker."));
    assertThat(write.repeated()).isFalse();
    assertThat(write.resource()).isEqualTo("crm:lead/L-1002");
    assertThat(after)
        .isEqualTo(
            new Lead(
                before.id(),
                before.name(),
                before.email(),
                before.company(),
                "Candle maker.",
                before.notes(),
                "agent:test@1",
                NOW));
    assertThat(crm.writesOf("L-1002")).containsExactly(write);
  }

  @Test
  void aSecondWriteWithTheSameIdempotencyKeyWritesNothingAndAnswersTheFirst() throws Exception {
    Path file = dir.resolve("crm.db");
    LeadCrm crm = LeadCrm.at(file);
    LeadWrite first =
        crm.write("L-1003", Map.of("bio", "Dentist."), "agent:test@1", "run-1/call_3", NOW);

    LeadWrite again =
        crm.write(
            "L-1003",
            Map.of("bio", "Something else."),
            "agent:test@1",
            "run-1/call_3",
            NOW.plusSeconds(60));

    assertThat(again.repeated()).isTrue();
    assertThat(again.before()).isEqualTo(first.before());
    assertThat(again.after()).isEqualTo(first.after());
    assertThat(again.writtenAt()).isEqualTo(NOW);
    assertThat(crm.require("L-1003").bio()).isEqualTo("Dentist.");
    assertThat(crm.require("L-1003").updatedAt()).isEqualTo(NOW);
    assertThat(rowCount(file, "lead_writes")).isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyUsedForOneLeadIsRefusedForAnother() {
    LeadCrm crm = LeadCrm.at(dir.resolve("crm.db"));
    crm.write("L-1003", Map.of("bio", "Dentist."), "agent:test@1", "run-1/call_3", NOW);

    assertThatThrownBy(
            () ->
                crm.write("L-1005", Map.of("bio", "Freight."), "agent:test@1", "run-1/call_3", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "idempotency key run-1/call_3 was already used to write lead L-1003, not L-1005");
    assertThat(crm.require("L-1005").bio()).isEmpty();
  }

  @Test
  void aFieldThatIsNotEditableIsRefusedAndNothingIsWritten() throws Exception {
    Path file = dir.resolve("crm.db");
    LeadCrm crm = LeadCrm.at(file);

    assertThatThrownBy(
            () ->
                crm.write(
                    "L-1001",
                    Map.of("bio", "x", "updated_by", "someone"),
                    "agent:test@1",
                    "k",
                    NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'updated_by' is not an editable lead field; use one of [name, email, company, bio,"
                + " notes]");
    assertThat(crm.require("L-1001").bio()).isEmpty();
    assertThat(rowCount(file, "lead_writes")).isZero();
  }

  @Test
  void anUnknownLeadNamesTheIdsThatExist() {
    LeadCrm crm = LeadCrm.at(dir.resolve("crm.db"));

    assertThat(crm.find("L-9999")).isEmpty();
    assertThatThrownBy(() -> crm.require("L-9999"))
        .isInstanceOf(UnknownLeadException.class)
        .hasMessage("no lead L-9999 in the CRM; ids are L-1001..L-1030");
    assertThatThrownBy(
            () -> crm.write("L-9999", Map.of("bio", "x"), "agent:test@1", "run-1/call_9", NOW))
        .isInstanceOf(UnknownLeadException.class)
        .hasMessageContaining("L-1001..L-1030");
  }

  @Test
  void aFileThatIsNotADatabaseIsACrmErrorNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a.db"), "this is not SQLite ".repeat(100));

    assertThatThrownBy(() -> LeadCrm.at(file).leads())
        .isInstanceOf(CrmException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("cannot create and seed the leads table");
  }

  @Test
  void theLocationComesFromThePropertyThenTheEnvironmentThenTheDefault() {
    Properties properties = new Properties();
    Map<String, String> environment = Map.of(LeadCrm.LOCATION_ENV, "/data/from-env.db");

    assertThat(LeadCrm.location(Map.of(), properties)).isEqualTo(Path.of(".bridle/lead-crm.db"));
    assertThat(LeadCrm.location(environment, properties)).isEqualTo(Path.of("/data/from-env.db"));
    properties.setProperty(LeadCrm.LOCATION_PROPERTY, "/data/from-property.db");
    assertThat(LeadCrm.location(environment, properties))
        .isEqualTo(Path.of("/data/from-property.db"));
    properties.setProperty(LeadCrm.LOCATION_PROPERTY, "  ");
    assertThat(LeadCrm.location(Map.of(LeadCrm.LOCATION_ENV, ""), properties))
        .isEqualTo(LeadCrm.DEFAULT_LOCATION);
  }

  private static long rowCount(Path file, String table) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
