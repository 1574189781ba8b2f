package dev.bridle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bridle.core.internal.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the real command line in-process and captures its output and exit code. */
final class CliHarness {

  private CliHarness() {}

  record Execution(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      return Json.MAPPER.readTree(out);
    }
  }

  /** Runs {@code bridle args}, with the run store in a SQLite file under {@code storeDir}. */
  static Execution bridle(Path storeDir, String... args) {
    List<String> withStore = new ArrayList<>(List.of(args));
    if (!withStore.isEmpty()
        && List.of("run", "resume", "runs", "approvals", "audit", "revert")
            .contains(withStore.get(0))) {
      boolean group = List.of("runs", "approvals").contains(withStore.get(0));
      int at = group && withStore.size() > 1 ? 2 : 1;
      withStore.addAll(at, List.of("--db", "sqlite:" + storeDir.resolve("bridle.db")));
    }
    return execute(withStore.toArray(String[]::new));
  }

  static Execution execute(String... args) {
    CommandLine commandLine = BridleCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int code = commandLine.execute(args);
    return new Execution(code, out.toString(), err.toString());
  }
}
