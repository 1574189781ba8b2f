package dev.bridle.server.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The system's Chromium, headless, driven by Playwright (which must not download a browser of its
 * own). Where it is comes from the system property {@code bridle.chromium}, else the environment
 * variable {@code BRIDLE_CHROMIUM}, else {@code /usr/bin/chromium}. When there is none (a user's
 * machine without it) the browser tests are skipped with a message saying how to run them; CI
 * installs it ({@code .ci/run}), so there they always run.
 */
final class Chromium implements AutoCloseable {

  static final String DEFAULT_PATH = "/usr/bin/chromium";

  private static final List<String> ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private final Playwright playwright;
  final Browser browser;

  private Chromium(Path executable) {
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setArgs(ARGS));
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  /** Whether there is a Chromium to launch. */
  static boolean installed() {
    return Files.isExecutable(executable());
  }

  /** Launches the system's Chromium; see {@link #installed()}. */
  static Chromium launch() {
    return new Chromium(executable());
  }

  /**
   * Skips the calling test, saying why, when there is no Chromium: each browser test is then
   * reported as skipped with this message.
   */
  static void assumeInstalled() {
    assumeTrue(
        installed(),
        () ->
            "skipped: the dashboard's browser tests need Chromium, and there is none at "
                + executable()
                + " (install it, e.g. apt-get install chromium, or point -Dbridle.chromium or"
                + " BRIDLE_CHROMIUM at one)");
  }

  static Path executable() {
    String configured = System.getProperty("bridle.chromium");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("BRIDLE_CHROMIUM");
    }
    return Path.of(configured == null || configured.isBlank() ? DEFAULT_PATH : configured);
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
    }
  }
}
