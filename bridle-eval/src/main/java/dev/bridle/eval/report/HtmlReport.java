package dev.bridle.eval.report;

import dev.bridle.eval.CaseResult;
import dev.bridle.eval.EvalReport;
import dev.bridle.eval.NotApplicableCase;
import dev.bridle.eval.Score;
import dev.bridle.eval.TagResult;
import dev.bridle.eval.TimelineEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An {@link EvalReport} as one self-contained HTML page (no scripts, no external resources): the
 * totals and the gate, the pass rate per tag, each failure with its scorers' details and its run's
 * timeline, and every case in a table. Every text from the suite, the model or the tools is
 * HTML-escaped.
 */
public final class HtmlReport {

  private static final String STYLE =
      """
      body{font-family:system-ui,sans-serif;margin:2rem;color:#1d1d1f;max-width:72rem}
      h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}h3{font-size:1rem;margin-bottom:.3rem}
      table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;
      text-align:left;vertical-align:top}th{background:#f3f3f3}.pass{color:#17692b}.fail{color:#b3261e}
      pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem;margin:.2rem 0}
      .failure{border-left:4px solid #b3261e;padding-left:1rem;margin:1rem 0}
      .meta{color:#555}td.num{text-align:right}
      """;

  private HtmlReport() {}

  /** The page for {@code report}, gated on {@code minPass}. */
  public static String render(EvalReport report, double minPass) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>")
        .append(escape("Evaluation: " + report.suite()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    summary(html, report, minPass);
    tags(html, report);
    failures(html, report.failures());
    cases(html, report.cases());
    notApplicable(html, report.notApplicable());
    html.append("</body></html>\n");
    return html.toString();
  }

  /** Writes the page to {@code file} (created, or replaced). */
  public static void write(EvalReport report, double minPass, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, render(report, minPass));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the HTML report to " + file + ": " + e.getMessage(), e);
    }
  }

  private static void summary(StringBuilder html, EvalReport report, double minPass) {
    boolean meets = report.meets(minPass);
    html.append("<h1>Evaluation: ").append(escape(report.suite())).append("</h1>\n");
    html.append("<p class=\"meta\">Workflow ")
        .append(escape(report.workflow()))
        .append(" &middot; model ")
        .append(escape(report.model()))
        .append(" &middot; started ")
        .append(escape(report.startedAt().toString()))
        .append(" &middot; ")
        .append(report.duration().toMillis())
        .append(" ms</p>\n");
    html.append("<p><strong class=\"")
        .append(meets ? "pass" : "fail")
        .append("\">")
        .append(report.passed())
        .append(" of ")
        .append(report.total())
        .append(" cases passed (")
        .append(percent(report.passRate()))
        .append(")")
        .append(meets ? " &mdash; meets" : " &mdash; below")
        .append(" the gate of ")
        .append(percent(minPass))
        .append("</strong></p>\n");
    if (!report.notApplicable().isEmpty()) {
      html.append("<p>")
          .append(report.notApplicable().size())
          .append(" scripted-only ")
          .append(report.notApplicable().size() == 1 ? "case" : "cases")
          .append(" not run: not applicable to a real model, and not counted in the pass rate or")
          .append(" the gate (<a href=\"#not-applicable\">listed below</a>).</p>\n");
    }
  }

  private static void notApplicable(StringBuilder html, List<NotApplicableCase> cases) {
    if (cases.isEmpty()) {
      return;
    }
    html.append("<h2 id=\"not-applicable\">Not applicable to a real model (")
        .append(cases.size())
        .append(")</h2>\n<p>These cases are scripted-only: they test Bridle's controls against")
        .append(" a model's misbehaviour that their script plays, so a real model does not run")
        .append(" them.</p>\n<table><tr><th>case</th><th>tags</th><th>description</th></tr>\n");
    for (NotApplicableCase notRun : cases) {
      html.append("<tr><td>")
          .append(escape(notRun.id()))
          .append("</td><td>")
          .append(escape(String.join(", ", notRun.tags())))
          .append("</td><td>")
          .append(escape(notRun.description()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void tags(StringBuilder html, EvalReport report) {
    html.append("<h2>Pass rate per tag</h2>\n<table><tr><th>tag</th><th>cases</th><th>passed</th>")
        .append("<th>pass rate</th></tr>\n");
    for (TagResult tag : report.byTag().values()) {
      html.append("<tr><td>")
          .append(escape(tag.tag()))
          .append("</td><td class=\"num\">")
          .append(tag.total())
          .append("</td><td class=\"num\">")
          .append(tag.passed())
          .append("</td><td class=\"num ")
          .append(tag.passed() == tag.total() ? "pass" : "fail")
          .append("\">")
          .append(percent(tag.passRate()))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void failures(StringBuilder html, List<CaseResult> failures) {
    html.append("<h2>Failures (").append(failures.size()).append(")</h2>\n");
    if (failures.isEmpty()) {
      html.append("<p class=\"pass\">None.</p>\n");
      return;
    }
    for (CaseResult result : failures) {
      html.append("<div class=\"failure\" id=\"case-").append(escape(result.id())).append("\">");
      html.append("<h3>").append(escape(result.id())).append("</h3>");
      html.append("<p class=\"meta\">tags ")
          .append(escape(String.join(", ", result.tags())))
          .append(" &middot; outcome ")
          .append(escape(result.outcome()))
          .append(" &middot; ")
          .append(escape(result.runOutcome()))
          .append(result.runId().map(id -> " &middot; run " + escape(id)).orElse(""))
          .append("</p>");
      if (!result.description().isEmpty()) {
        html.append("<p>").append(escape(result.description())).append("</p>");
      }
      result
          .error()
          .ifPresent(
              error ->
                  html.append("<p class=\"fail\">Error:</p><pre>")
                      .append(escape(error))
                      .append("</pre>"));
      for (Score score : result.scores()) {
        html.append("<p class=\"")
            .append(score.passed() ? "pass" : "fail")
            .append("\">")
            .append(escape(score.scorer()))
            .append(score.passed() ? ": passed" : ": failed")
            .append("</p><pre>")
            .append(escape(score.detail()))
            .append("</pre>");
      }
      result
          .answer()
          .ifPresent(
              answer -> html.append("<p>Answer:</p><pre>").append(escape(answer)).append("</pre>"));
      timeline(html, result.timeline());
      html.append("</div>\n");
    }
  }

  private static void timeline(StringBuilder html, List<TimelineEntry> timeline) {
    if (timeline.isEmpty()) {
      return;
    }
    html.append("<details open><summary>Run timeline (")
        .append(timeline.size())
        .append(" events)</summary>");
    html.append("<table><tr><th>#</th><th>event</th><th>what happened</th></tr>");
    for (TimelineEntry entry : timeline) {
      html.append("<tr><td class=\"num\">")
          .append(entry.seq())
          .append("</td><td>")
          .append(escape(entry.event()))
          .append("</td><td>")
          .append(escape(entry.summary()))
          .append("</td></tr>");
    }
    html.append("</table></details>");
  }

  private static void cases(StringBuilder html, List<CaseResult> cases) {
    html.append("<h2>All cases</h2>\n<table><tr><th>case</th><th>tags</th><th>result</th>")
        .append("<th>outcome</th><th>steps</th><th>cost (USD)</th><th>run</th></tr>\n");
    for (CaseResult result : cases) {
      html.append("<tr><td>")
          .append(escape(result.id()))
          .append("</td><td>")
          .append(escape(String.join(", ", result.tags())))
          .append("</td><td class=\"")
          .append(result.passed() ? "pass\">passed" : "fail\">failed")
          .append("</td><td>")
          .append(escape(result.outcome()))
          .append("</td><td class=\"num\">")
          .append(result.steps())
          .append("</td><td class=\"num\">")
          .append(result.costUsd().map(c -> escape(c.toPlainString())).orElse("unknown"))
          .append("</td><td>")
          .append(result.runId().map(HtmlReport::escape).orElse(""))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  /** {@code text} safe in HTML element content and attribute values. */
  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
