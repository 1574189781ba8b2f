package dev.bridle.eval.correction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bridle.core.ConfigurationException;
import dev.bridle.core.internal.Json;
import dev.bridle.eval.EvalCase;
import dev.bridle.eval.Suites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes {@link Correction}s into a suite file: appends them to an existing one (YAML, keeping its
 * text and comments; or JSON Lines) or creates a new one naming the workflow. A correction whose
 * case id the file already has is skipped, so exporting again never duplicates a case. The file is
 * read back afterwards; a result that does not load as a suite is rolled back.
 */
public final class CorrectionsFile {

  private static final Pattern TOP_LEVEL_KEY =
      Pattern.compile("^([A-Za-z_][A-Za-z0-9_-]*)\\s*:(.*)$");
  private static final Pattern ITEM = Pattern.compile("^( *)- ");

  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build();

  private CorrectionsFile() {}

  /**
   * What {@link #write} did.
   *
   * @param created whether the file was new
   * @param written the ids of the cases added
   * @param skipped the ids of the corrections the file had already
   */
  public record Written(boolean created, List<String> written, List<String> skipped) {
    public Written {
      written = List.copyOf(written);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Adds {@code corrections} to {@code file}: JSON Lines when its name ends in {@code .jsonl}, YAML
   * otherwise. A new file gets {@code suite: <workflowName>-corrections} and {@code workflow:}
   * {@code workflowFile}, relative to the file's directory.
   *
   * @throws ConfigurationException when the existing file is not a suite, or its {@code cases}
   *     cannot be appended to (written inline, or not the last key)
   */
  public static Written write(
      Path file, Path workflowFile, String workflowName, List<Correction> corrections) {
    boolean jsonLines = file.getFileName().toString().endsWith(".jsonl");
    boolean exists = Files.exists(file);
    String before = exists ? read(file) : "";
    Set<String> known =
        exists && !before.isBlank()
            ? Suites.parse(file, before).cases().stream()
                .map(EvalCase::id)
                .collect(Collectors.toSet())
            : Set.of();
    List<String> written = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<ObjectNode> added = new ArrayList<>();
    for (Correction correction : corrections) {
      if (known.contains(correction.caseId()) || written.contains(correction.caseId())) {
        skipped.add(correction.caseId());
      } else {
        written.add(correction.caseId());
        added.add(correction.suiteCase());
      }
    }
    if (added.isEmpty()) {
      return new Written(false, written, skipped);
    }
    boolean created = !exists || before.isBlank();
    String header = created ? header(file, workflowFile, workflowName, jsonLines) : "";
    String after =
        jsonLines
            ? appendJsonLines(header + before, added)
            : appendYaml(file, header + before, added);
    writeText(file, after);
    try {
      Suites.load(file);
    } catch (RuntimeException e) {
      if (created) {
        deleteQuietly(file);
      } else {
        writeText(file, before);
      }
      throw new ConfigurationException(
          file + ": the corrections could not be added, the file is unchanged: " + e.getMessage(),
          e);
    }
    return new Written(created, written, skipped);
  }

  private static String header(
      Path file, Path workflowFile, String workflowName, boolean jsonLines) {
    Path directory = file.toAbsolutePath().getParent();
    String workflow =
        directory == null
            ? workflowFile.toString()
            : directory.relativize(workflowFile.toAbsolutePath().normalize()).toString();
    String suite = workflowName + "-corrections";
    if (jsonLines) {
      ObjectNode line =
          Json.MAPPER.createObjectNode().put("suite", suite).put("workflow", workflow);
      return Json.write(line) + "\n";
    }
    return "# Cases from human corrections, written by bridle eval export-corrections.\n"
        + "suite: "
        + yamlScalar(suite)
        + "\nworkflow: "
        + yamlScalar(workflow)
        + "\ncases:\n";
  }

  private static String appendJsonLines(String text, List<ObjectNode> cases) {
    StringBuilder out = new StringBuilder(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      out.append('\n');
    }
    cases.forEach(c -> out.append(Json.write(c)).append('\n'));
    return out.toString();
  }

  private static String appendYaml(Path file, String text, List<ObjectNode> cases) {
    List<String> lines = text.lines().toList();
    int casesLine = -1;
    String lastKey = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = TOP_LEVEL_KEY.matcher(lines.get(i));
      if (key.matches()) {
        lastKey = key.group(1);
        if (lastKey.equals("cases")) {
          casesLine = i;
          String rest = key.group(2).strip();
          if (!rest.isEmpty() && !rest.startsWith("#")) {
            throw new ConfigurationException(
                file
                    + ": 'cases' is written inline ("
                    + rest
                    + "); write it as a block list (one '- id: ...' per case) so that"
                    + " corrections can be appended, or export to a .jsonl file");
          }
        }
      }
    }
    StringBuilder out = new StringBuilder(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      out.append('\n');
    }
    int indent = 2;
    if (casesLine < 0) {
      out.append("cases:\n");
    } else if (!"cases".equals(lastKey)) {
      throw new ConfigurationException(
          file
              + ": 'cases' is not the last key of the file ('"
              + lastKey
              + "' comes after it), so corrections cannot be appended to it; move 'cases' to the"
              + " end, or export to another file");
    } else {
      for (int i = casesLine + 1; i < lines.size(); i++) {
        Matcher item = ITEM.matcher(lines.get(i));
        if (item.find()) {
          indent = item.group(1).length();
          break;
        }
      }
    }
    String pad = " ".repeat(indent);
    for (ObjectNode suiteCase : cases) {
      List<String> caseLines = yaml(suiteCase).lines().toList();
      for (int i = 0; i < caseLines.size(); i++) {
        out.append(pad).append(i == 0 ? "- " : "  ").append(caseLines.get(i)).append('\n');
      }
    }
    return out.toString();
  }

  private static String yaml(Object value) {
    try {
      return YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String yamlScalar(String text) {
    return yaml(text).strip();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeText(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the file was ours and unusable; leaving it is the lesser harm than hiding the cause
    }
  }
}
