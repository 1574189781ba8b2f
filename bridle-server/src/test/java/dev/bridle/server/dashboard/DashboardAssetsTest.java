package dev.bridle.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's files as the server serves them: the page, every module it imports, with types
 * the strict content security policy accepts, nothing inline, nothing from elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAssetsTest {

  private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z0-9-]+\\.js)'");
  private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"(/dashboard/[^\"]+)\"");

  private DashboardServer server;

  @BeforeAll
  void start(@TempDir Path dir) {
    server = new DashboardServer(dir);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void thePageIsServedAtTheRootWithTheStrictPolicyAndNothingInline() {
    HttpResponse<String> page = server.fetch("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    String html = page.body();
    assertThat(html).contains("<script type=\"module\" src=\"/dashboard/app.js\"></script>");
    assertThat(html.split("<script", -1))
        .allSatisfy(part -> assertThat(part).doesNotStartWith(">"));
    assertThat(html).doesNotContain("<style").doesNotContain("style=");
    assertThat(Pattern.compile("\\son[a-z]+=").matcher(html).find())
        .as("no inline event handlers")
        .isFalse();
  }

  @Test
  void everyFileThePageAndItsModulesReferToIsServedWithItsType() {
    String html = server.fetch("/").body();
    Set<String> files = new LinkedHashSet<>();
    Matcher referenced = REFERENCE.matcher(html);
    while (referenced.find()) {
      files.add(referenced.group(1));
    }
    Deque<String> modules =
        new ArrayDeque<>(files.stream().filter(f -> f.endsWith(".js")).toList());
    while (!modules.isEmpty()) {
      HttpResponse<String> module = server.fetch(modules.pop());
      assertThat(module.statusCode()).isEqualTo(200);
      Matcher imports = IMPORT.matcher(module.body());
      while (imports.find()) {
        if (files.add("/dashboard/" + imports.group(1))) {
          modules.push("/dashboard/" + imports.group(1));
        }
      }
    }

    assertThat(files)
        .contains(
            "/dashboard/app.css",
            "/dashboard/favicon.svg",
            "/dashboard/app.js",
            "/dashboard/run.js",
            "/dashboard/approvals.js",
            "/dashboard/kill-switches.js",
            "/dashboard/audit.js",
            "/dashboard/spend.js",
            "/dashboard/chart.js");
    for (String file : files) {
      HttpResponse<String> served = server.fetch(file);
      assertThat(served.statusCode()).as(file).isEqualTo(200);
      String type = contentType(served);
      if (file.endsWith(".js")) {
        assertThat(type).as(file).isEqualTo("text/javascript;charset=utf-8");
      } else if (file.endsWith(".css")) {
        assertThat(type).as(file).isEqualTo("text/css;charset=utf-8");
      } else {
        assertThat(type).as(file).isEqualTo("image/svg+xml");
      }
      assertThat(served.body().replace("http://www.w3.org/2000/svg", ""))
          .as(file + " loads nothing from elsewhere")
          .doesNotContain("http://")
          .doesNotContain("https://")
          .doesNotContain("@import")
          .doesNotContain("innerHTML")
          .doesNotContain("localStorage")
          .doesNotContain("eval(");
    }
  }

  /** The content type without spaces (Jetty writes "text/html;charset=utf-8"). */
  private static String contentType(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").orElseThrow().replace(" ", "");
  }

  @Test
  void onlyTheDashboardsOwnFilesAreServed() {
    for (String path :
        new String[] {
          "/dashboard/missing.js",
          "/dashboard/App.js",
          "/dashboard/index.html",
          "/dashboard/app.js.map"
        }) {
      HttpResponse<String> response = server.fetch(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).contains("\"error\":\"not_found\"");
    }
    HttpResponse<String> escaping = server.fetch("/dashboard/..%2FBridleServer.class");
    assertThat(escaping.statusCode()).isIn(400, 404);
    assertThat(escaping.body()).doesNotContain("dev/bridle/server");
  }
}
