package dev.bridle.server.dashboard;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps what the browser showed when a test failed: a full-page screenshot and the page's HTML in
 * {@code target/screenshots/<class>.<test>.png|html}. It runs right after the test method, before
 * {@code @AfterEach} closes the page.
 */
final class ScreenshotOnFailure implements AfterTestExecutionCallback {

  /** A test whose current page is worth keeping when it fails. */
  interface ShowsAPage {
    /** The page, or null when the test has none (yet). */
    Page page();
  }

  static final Path DIRECTORY =
      Path.of(System.getProperty("basedir", "."), "target", "screenshots");

  @Override
  public void afterTestExecution(ExtensionContext context) throws IOException {
    if (context.getExecutionException().isEmpty()
        || !(context.getRequiredTestInstance() instanceof ShowsAPage test)) {
      return;
    }
    Page page = test.page();
    if (page == null || page.isClosed()) {
      return;
    }
    Files.createDirectories(DIRECTORY);
    String name =
        context.getRequiredTestClass().getSimpleName()
            + "."
            + context.getRequiredTestMethod().getName();
    Path screenshot = DIRECTORY.resolve(name + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
    Files.writeString(DIRECTORY.resolve(name + ".html"), page.content(), StandardCharsets.UTF_8);
    System.err.println("the page at the failure of " + name + " is kept in " + screenshot);
  }
}
