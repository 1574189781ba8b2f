package dev.bridle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bridle tokens create|list|revoke} on a real SQLite store. */
class TokensCommandTest {

  @TempDir Path dir;

  private CliHarness.Execution tokens(String... args) {
    String[] withDb = new String[args.length + 2];
    System.arraycopy(args, 0, withDb, 0, args.length);
    withDb[args.length] = "--db";
    withDb[args.length + 1] = "sqlite:" + dir.resolve("tokens.db");
    String[] all = new String[withDb.length + 1];
    all[0] = "tokens";
    System.arraycopy(withDb, 0, all, 1, withDb.length);
    return CliHarness.execute(all);
  }

  @Test
  void createPrintsTheSecretOnceAndTheStoreKeepsOnlyItsHash() throws Exception {
    CliHarness.Execution created = tokens("create", "--role", "Approver", "--name", "erin");

    assertThat(created.exitCode()).isEqualTo(ExitCode.OK);
    Matcher secret = Pattern.compile("brl_[A-Za-z0-9_-]{43}").matcher(created.out());
    assertThat(secret.find()).isTrue();
    Matcher id = Pattern.compile("tok_[0-9a-f]{16}").matcher(created.out());
    assertThat(id.find()).isTrue();
    assertThat(created.out())
        .contains("Created token " + id.group() + " for erin with role approver")
        .contains("it is not shown again")
        .contains("bridle tokens revoke " + id.group());

    CliHarness.Execution listed = tokens("list");
    assertThat(listed.out())
        .contains(id.group())
        .contains("erin")
        .contains("approver")
        .contains("active")
        .doesNotContain(secret.group())
        .doesNotContain("brl_");
    String database = "";
    for (String file : new String[] {"tokens.db", "tokens.db-wal"}) {
      if (Files.exists(dir.resolve(file))) {
        database += Files.readString(dir.resolve(file), StandardCharsets.ISO_8859_1);
      }
    }
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(secret.group().getBytes(StandardCharsets.UTF_8)));
    assertThat(database).contains(hash).doesNotContain(secret.group());
  }

  @Test
  void jsonOutputCarriesTheSecretOnlyWhenCreated() throws Exception {
    JsonNode created = tokens("create", "--role", "operator", "--name", "otto", "--json").json();
    assertThat(created.path("token").asText()).startsWith("brl_");
    assertThat(created.path("principal").asText()).isEqualTo("otto");
    assertThat(created.path("role").asText()).isEqualTo("operator");
    assertThat(created.path("revokedAt").isNull()).isTrue();

    JsonNode listed = tokens("list", "--json").json();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("id").asText()).isEqualTo(created.path("id").asText());
    assertThat(listed.get(0).has("token")).isFalse();
  }

  @Test
  void revokeEndsATokenOnceAndSaysWhenThereIsNothingToRevoke() throws Exception {
    String id =
        tokens("create", "--role", "viewer", "--name", "vic", "--json").json().path("id").asText();

    CliHarness.Execution revoked = tokens("revoke", id);
    assertThat(revoked.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(revoked.out()).contains("Revoked " + id + " (vic, viewer)");
    assertThat(tokens("list", "--json").json().get(0).path("revokedAt").isNull()).isFalse();
    assertThat(tokens("list").out()).contains("revoked ");

    CliHarness.Execution again = tokens("revoke", id);
    assertThat(again.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(again.err()).contains("token " + id + " was revoked already, at ");

    CliHarness.Execution unknown = tokens("revoke", "tok_0000000000000000");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err())
        .contains("no token tok_0000000000000000; see the ids with: bridle tokens list");
  }

  @Test
  void aWrongRoleOrNameIsAUsageErrorThatNamesWhatIsWrong() throws Exception {
    CliHarness.Execution role = tokens("create", "--role", "root", "--name", "erin");
    assertThat(role.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(role.err())
        .contains("'root' is not a role; use one of viewer, approver, operator, admin");

    CliHarness.Execution name = tokens("create", "--role", "admin", "--name", "erin smith");
    assertThat(name.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(name.err())
        .contains("--name: principal must be 1 to 128 of")
        .contains("'erin smith'");

    CliHarness.Execution reserved = tokens("create", "--role", "admin", "--name", "system:ops");
    assertThat(reserved.exitCode()).isEqualTo(ExitCode.USAGE);

    assertThat(tokens("list", "--json").json()).isEmpty();
    assertThat(tokens("list").out()).contains("No tokens. Create one with: bridle tokens create");
  }

  @Test
  void tokensAloneAsksForASubcommand() {
    CliHarness.Execution bare = CliHarness.execute("tokens");
    assertThat(bare.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bare.err()).contains("name a subcommand: create, list, revoke");
  }
}
