package dev.bridle.store;

import dev.bridle.core.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Where a store lives and how to reach it, parsed from a store URL ({@link RunStores#open}). */
sealed interface StoreLocation {

  String ACCEPTED_FORMS =
      """
        sqlite:PATH  or  jdbc:sqlite:PATH      a file, created with its directories;
                                               parameters: synchronous=normal|full (default normal),
                                               busy-timeout-ms=N (default 5000)
        jdbc:postgresql://HOST[:PORT]/DB[?user=USER&password=PASSWORD&...]
        postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB[?...]   (postgres:// too)
                                               parameters: max-pool-size=N (default 10),
                                               connect-timeout-ms=N (default 5000); any other
                                               parameter goes to the PostgreSQL JDBC driver\
      """;

  /** The URL as it may be shown: in messages and logs, with any password removed. */
  String display();

  /**
   * A SQLite file.
   *
   * @param full {@code synchronous=FULL} rather than {@code NORMAL}
   */
  record Sqlite(Path file, boolean full, Duration busyTimeout) implements StoreLocation {
    static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String display() {
      return "sqlite:" + file;
    }
  }

  /**
   * A PostgreSQL database.
   *
   * @param jdbcUrl the driver's URL, without Bridle's own parameters
   * @param driverProperties user, password and the like, passed to the driver
   */
  record Postgres(
      String jdbcUrl,
      Properties driverProperties,
      int maxPoolSize,
      Duration connectTimeout,
      String display)
      implements StoreLocation {
    static final int DEFAULT_MAX_POOL_SIZE = 10;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  }

  static StoreLocation parse(String url) {
    String trimmed = url.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:sqlite:")) {
      return sqlite(trimmed, trimmed.substring("jdbc:sqlite:".length()));
    }
    if (lower.startsWith("sqlite:")) {
      return sqlite(trimmed, trimmed.substring("sqlite:".length()));
    }
    if (lower.startsWith("jdbc:postgresql:")) {
      return jdbcPostgres(trimmed);
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return uriPostgres(trimmed);
    }
    throw new ConfigurationException(
        "unsupported store URL '"
            + redact(trimmed)
            + "'; use one of these forms:\n"
            + ACCEPTED_FORMS);
  }

  private static Sqlite sqlite(String url, String rest) {
    int question = rest.indexOf('?');
    String pathText = question < 0 ? rest : rest.substring(0, question);
    Map<String, String> parameters =
        question < 0 ? Map.of() : parameters(url, rest.substring(question + 1));
    requireOnly(url, parameters, Set.of("synchronous", "busy-timeout-ms"));
    if (pathText.isBlank()) {
      throw new ConfigurationException("store URL '" + url + "' names no file; " + example());
    }
    if (pathText.equals(":memory:") || pathText.startsWith("file::memory:")) {
      throw new ConfigurationException(
          "store URL '"
              + url
              + "' asks for an in-memory SQLite database, which this store does not support"
              + " (it opens several connections); use dev.bridle.core.journal.InMemoryRunStore");
    }
    Path file;
    try {
      file = Path.of(pathText).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigurationException(
          "store URL '" + url + "' has an invalid path: " + e.getMessage(), e);
    }
    boolean full =
        switch (parameters.getOrDefault("synchronous", "normal").toLowerCase(Locale.ROOT)) {
          case "normal" -> false;
          case "full" -> true;
          default ->
              throw new ConfigurationException(
                  "store URL parameter synchronous must be normal or full, but was '"
                      + parameters.get("synchronous")
                      + "'");
        };
    Duration busyTimeout =
        parameters.containsKey("busy-timeout-ms")
            ? Duration.ofMillis(
                intParameter(parameters, "busy-timeout-ms", 0, 3_600_000, "busy-timeout-ms"))
            : Sqlite.DEFAULT_BUSY_TIMEOUT;
    return new Sqlite(file, full, busyTimeout);
  }

  private static String example() {
    return "for example sqlite:.bridle/bridle.db";
  }

  private static Postgres jdbcPostgres(String url) {
    int question = url.indexOf('?');
    String base = question < 0 ? url : url.substring(0, question);
    Map<String, String> parameters =
        question < 0 ? Map.of() : parameters(url, url.substring(question + 1));
    return postgres(base, new Properties(), parameters, url);
  }

  private static Postgres uriPostgres(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(
          "store URL '" + redact(url) + "' is not a valid URL: " + e.getReason(), e);
    }
    if (uri.getHost() == null) {
      throw new ConfigurationException(
          "store URL '"
              + redact(url)
              + "' names no host; "
              + "for example postgresql://db:5432/bridle");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.length() <= 1) {
      throw new ConfigurationException(
          "store URL '"
              + redact(url)
              + "' names no database; for example postgresql://db:5432/bridle");
    }
    Properties properties = new Properties();
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      properties.setProperty("user", colon < 0 ? userInfo : userInfo.substring(0, colon));
      if (colon >= 0) {
        properties.setProperty("password", userInfo.substring(colon + 1));
      }
    }
    String host =
        uri.getHost().contains(":") && !uri.getHost().startsWith("[")
            ? "[" + uri.getHost() + "]"
            : uri.getHost();
    String base =
        "jdbc:postgresql://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
    Map<String, String> parameters =
        uri.getRawQuery() == null ? Map.of() : parameters(url, uri.getRawQuery());
    return postgres(base, properties, parameters, url);
  }

  private static Postgres postgres(
      String base, Properties properties, Map<String, String> parameters, String url) {
    int maxPoolSize =
        parameters.containsKey("max-pool-size")
            ? intParameter(parameters, "max-pool-size", 1, 1000, "max-pool-size")
            : Postgres.DEFAULT_MAX_POOL_SIZE;
    Duration connectTimeout =
        parameters.containsKey("connect-timeout-ms")
            ? Duration.ofMillis(
                intParameter(parameters, "connect-timeout-ms", 250, 600_000, "connect-timeout-ms"))
            : Postgres.DEFAULT_CONNECT_TIMEOUT;
    List<String> driverParameters = new ArrayList<>();
    parameters.forEach(
        (key, value) -> {
          if (!key.equals("max-pool-size") && !key.equals("connect-timeout-ms")) {
            driverParameters.add(key + "=" + value);
          }
        });
    String jdbcUrl =
        driverParameters.isEmpty() ? base : base + "?" + String.join("&", driverParameters);
    return new Postgres(jdbcUrl, properties, maxPoolSize, connectTimeout, redact(url));
  }

  /** The parameters of a query string, raw (undecoded), in order. */
  private static Map<String, String> parameters(String url, String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      if (parameters.put(key, value) != null) {
        throw new ConfigurationException(
            "store URL '" + redact(url) + "' gives parameter " + key + " twice");
      }
    }
    return parameters;
  }

  private static void requireOnly(String url, Map<String, String> parameters, Set<String> known) {
    for (String key : parameters.keySet()) {
      if (!known.contains(key)) {
        throw new ConfigurationException(
            "store URL '"
                + redact(url)
                + "' has unknown parameter '"
                + key
                + "'; known parameters: "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static int intParameter(
      Map<String, String> parameters, String key, int min, int max, String name) {
    String text = parameters.get(key);
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(
        "store URL parameter "
            + name
            + " must be a whole number between "
            + min
            + " and "
            + max
            + ", but was '"
            + text
            + "'");
  }

  /**
   * The URL with any secret replaced by {@code ***}: in the {@code user:password@} form and in
   * every parameter whose name holds password, passwd, secret, token or key ({@code password=},
   * {@code sslpassword=}, ...).
   */
  static String redact(String url) {
    String userInfoRedacted =
        url.replaceFirst("^([A-Za-z][A-Za-z0-9+.:-]*//[^/@:?#]*):[^/?#]*@", "$1:***@");
    return userInfoRedacted.replaceAll(
        "(?i)([?&;][a-z_.-]*(?:password|passwd|secret|token|key)[a-z_.-]*=)[^&;]*", "$1***");
  }
}
