package dev.bridle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import dev.bridle.core.journal.RunStore;
import dev.bridle.server.auth.ApiToken;
import dev.bridle.server.auth.IssuedToken;
import dev.bridle.server.auth.JdbcTokenStore;
import dev.bridle.server.auth.Role;
import dev.bridle.server.auth.TokenStore;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bridle tokens create|list|revoke}: the API tokens that {@code bridle serve} accepts. They
 * live in the run store's database (table {@code api_tokens}), hashed: a secret is printed once,
 * when it is created, and cannot be shown again. Every node on the database accepts the same tokens
 * and sees a revocation at once.
 */
@Command(
    name = "tokens",
    mixinStandardHelpOptions = true,
    description =
        "Create, list and revoke the API tokens of 'bridle serve' (kept hashed in the run store's"
            + " database).",
    subcommands = {
      TokensCommand.Create.class,
      TokensCommand.ListTokens.class,
      TokensCommand.Revoke.class
    })
final class TokensCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: create, list, revoke");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a token and print its secret, this once.")
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        converter = RoleConverter.class,
        description =
            "viewer (reads), approver (+ decides approvals), operator (+ starts, kills, revives,"
                + " cancels, resumes, reverts) or admin (+ manages tokens).")
    Role role;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description =
            "Who acts with the token, recorded as the approver of its decisions and the author of"
                + " its kills and reverts: 1 to 128 of A-Z a-z 0-9 . _ @ + - (default: your"
                + " login name).")
    String name;

    @Option(names = "--json", description = "Print the token as JSON, secret included.")
    boolean json;

    @Override
    public Integer call() {
      String principal = name != null ? name : System.getProperty("user.name", "operator");
      IssuedToken issued;
      try (RunStore opened = store.open();
          TokenDatabase database = TokenDatabase.open(store.url())) {
        issued = database.tokens().issue(principal, role);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--name: "
                + e.getMessage()
                + (name == null ? " (your login name; choose one with --name)" : ""));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode node = describe(issued.token());
        node.put("token", issued.secret());
        out.println(Json.write(node));
      } else {
        ApiToken token = issued.token();
        out.println(
            "Created token "
                + token.id()
                + " for "
                + token.principal()
                + " with role "
                + token.role().label()
                + ":");
        out.println();
        out.println("  " + issued.secret());
        out.println();
        out.println(
            "Copy it now: it is not shown again (the store keeps only its hash). Send it as"
                + " 'Authorization: Bearer TOKEN', or paste it into the dashboard's login.");
        out.println("Revoke it with: bridle tokens revoke " + token.id());
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every token, revoked ones too, oldest first; never their secrets.")
  static final class ListTokens implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Override
    public Integer call() {
      List<ApiToken> tokens;
      try (RunStore opened = store.open();
          TokenDatabase database = TokenDatabase.open(store.url())) {
        tokens = database.tokens().list();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        tokens.forEach(token -> array.add(describe(token)));
        out.println(Json.write(array));
      } else if (tokens.isEmpty()) {
        out.println("No tokens. Create one with: bridle tokens create --role admin --name NAME");
      } else {
        String format = "%-21s %-24s %-9s %-21s %-21s %s%n";
        out.printf(format, "ID", "PRINCIPAL", "ROLE", "CREATED", "LAST USED", "STATUS");
        for (ApiToken token : tokens) {
          out.printf(
              format,
              token.id(),
              RunsCommand.oneLine(token.principal(), 24),
              token.role().label(),
              seconds(token.createdAt()),
              token.lastUsedAt().map(TokensCommand::seconds).orElse("-"),
              token.revokedAt().map(at -> "revoked " + seconds(at)).orElse("active"));
        }
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a token: it authenticates nothing from now on, on every node, and the"
              + " dashboard sessions opened with it end.")
  static final class Revoke implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id (tok_...).")
    String id;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (RunStore opened = store.open();
          TokenDatabase database = TokenDatabase.open(store.url())) {
        TokenStore tokens = database.tokens();
        ApiToken token =
            tokens
                .find(id)
                .orElseThrow(
                    () ->
                        new ConfigurationException(
                            "no token " + id + "; see the ids with: bridle tokens list"));
        if (token.revoked()) {
          spec.commandLine()
              .getErr()
              .println(
                  "bridle: token " + id + " was revoked already, at " + token.revokedAt().get());
          return ExitCode.FAILED;
        }
        if (!tokens.revoke(id)) {
          spec.commandLine().getErr().println("bridle: token " + id + " was revoked meanwhile");
          return ExitCode.FAILED;
        }
        out.println(
            "Revoked "
                + id
                + " ("
                + token.principal()
                + ", "
                + token.role().label()
                + "): it authenticates nothing from now on, and its sessions end.");
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  static ObjectNode describe(ApiToken token) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", token.id());
    node.put("principal", token.principal());
    node.put("role", token.role().label());
    node.put("createdAt", token.createdAt().toString());
    node.put("lastUsedAt", token.lastUsedAt().map(Instant::toString).orElse(null));
    node.put("revokedAt", token.revokedAt().map(Instant::toString).orElse(null));
    return node;
  }

  private static String seconds(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code --role}: a role's name in any case. */
  static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return Role.parse(value)
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "'"
                          + value
                          + "' is not a role; use one of "
                          + Arrays.stream(Role.values())
                              .map(Role::label)
                              .collect(Collectors.joining(", "))));
    }
  }

  /**
   * The API tokens in the database of a store URL, over connections of their own (the store, opened
   * first, has created the {@code api_tokens} table). Until bridle-store offers the data source of
   * an opened store, this opens one from the URL: a SQLite file with a busy timeout, or a pool of
   * two PostgreSQL connections. Closing it closes those connections.
   */
  static final class TokenDatabase implements AutoCloseable {
    private static final List<String> STORE_PARAMETERS =
        List.of("max-pool-size", "connect-timeout-ms", "synchronous", "busy-timeout-ms");

    private final TokenStore tokens;
    private final Optional<HikariDataSource> pool;

    private TokenDatabase(DataSource dataSource, Optional<HikariDataSource> pool) {
      this.tokens = new JdbcTokenStore(dataSource, Clock.systemUTC());
      this.pool = pool;
    }

    /**
     * @param url a store URL that {@code RunStores.open} accepted
     */
    static TokenDatabase open(String url) {
      String trimmed = url.strip();
      String lower = trimmed.toLowerCase(Locale.ROOT);
      if (lower.startsWith("jdbc:sqlite:") || lower.startsWith("sqlite:")) {
        String rest =
            trimmed.substring(
                lower.startsWith("jdbc:") ? "jdbc:sqlite:".length() : "sqlite:".length());
        int question = rest.indexOf('?');
        Path file = Path.of(question < 0 ? rest : rest.substring(0, question));
        int busyMillis = 5_000;
        if (question >= 0) {
          for (String pair : rest.substring(question + 1).split("&")) {
            if (pair.startsWith("busy-timeout-ms=")) {
              busyMillis = Integer.parseInt(pair.substring("busy-timeout-ms=".length()));
            }
          }
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyMillis);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath().normalize());
        return new TokenDatabase(dataSource, Optional.empty());
      }
      HikariConfig config = new HikariConfig();
      config.setPoolName("bridle-tokens");
      config.setMaximumPoolSize(2);
      config.setMinimumIdle(0);
      if (lower.startsWith("jdbc:postgresql:")) {
        config.setJdbcUrl(withoutStoreParameters(trimmed));
      } else if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
        URI uri;
        try {
          uri = new URI(trimmed);
        } catch (URISyntaxException e) {
          throw new ConfigurationException("store URL is not a valid URL: " + e.getReason(), e);
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
          int colon = userInfo.indexOf(':');
          config.setUsername(colon < 0 ? userInfo : userInfo.substring(0, colon));
          if (colon >= 0) {
            config.setPassword(userInfo.substring(colon + 1));
          }
        }
        String host =
            uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                ? "[" + uri.getHost() + "]"
                : uri.getHost();
        config.setJdbcUrl(
            withoutStoreParameters(
                "jdbc:postgresql://"
                    + host
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())));
      } else {
        throw new ConfigurationException("API tokens cannot be kept in store " + url);
      }
      HikariDataSource pool = new HikariDataSource(config);
      return new TokenDatabase(pool, Optional.of(pool));
    }

    private static String withoutStoreParameters(String jdbcUrl) {
      int question = jdbcUrl.indexOf('?');
      if (question < 0) {
        return jdbcUrl;
      }
      List<String> kept = new ArrayList<>();
      for (String pair : jdbcUrl.substring(question + 1).split("&")) {
        String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        if (!pair.isEmpty() && !STORE_PARAMETERS.contains(key)) {
          kept.add(pair);
        }
      }
      String base = jdbcUrl.substring(0, question);
      return kept.isEmpty() ? base : base + "?" + String.join("&", kept);
    }

    TokenStore tokens() {
      return tokens;
    }

    @Override
    public void close() {
      pool.ifPresent(HikariDataSource::close);
    }
  }
}
