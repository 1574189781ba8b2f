package dev.bridle.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard (see {@code docs/dashboard.md}): its page at {@code /} and its scripts, styles and
 * icon at {@code /dashboard/<file>}, read from the classpath under {@value #RESOURCE_ROOT}. The
 * files hold no data (the page asks the API for it with the session cookie), so they are public.
 * Only flat names of {@code .js}, {@code .css} and {@code .svg} files are served, with their own
 * content type, so that the strict content security policy lets the browser run them and nothing
 * else.
 */
final class DashboardAssets {

  static final String RESOURCE_ROOT = "/dev/bridle/server/dashboard/";

  private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]{0,63}\\.(js|css|svg)");

  private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

  List<Route> routes() {
    return List.of(
        Route.get("/", Access.PUBLIC, this::page),
        Route.get("/dashboard/{file}", Access.PUBLIC, this::asset));
  }

  private void page(Context ctx) {
    send(ctx, "index.html", "text/html; charset=utf-8");
  }

  private void asset(Context ctx) {
    String file = ctx.pathParam("file");
    if (!FILE.matcher(file).matches()) {
      throw ApiException.notFound(
          "no dashboard file '"
              + file
              + "'; its files are named like app.js, app.css or favicon.svg");
    }
    send(ctx, file, contentType(file));
  }

  private void send(Context ctx, String file, String contentType) {
    byte[] bytes =
        files
            .computeIfAbsent(file, DashboardAssets::read)
            .orElseThrow(() -> ApiException.notFound("no dashboard file '" + file + "'"));
    ctx.status(200).contentType(contentType).result(bytes);
  }

  private static String contentType(String file) {
    if (file.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (file.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "image/svg+xml";
  }

  private static Optional<byte[]> read(String file) {
    try (InputStream in = DashboardAssets.class.getResourceAsStream(RESOURCE_ROOT + file)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard file " + file, e);
    }
  }
}
