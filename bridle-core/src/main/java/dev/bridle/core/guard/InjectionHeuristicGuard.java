package dev.bridle.core.guard;

import dev.bridle.core.ConfigurationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flags instruction-like text aimed at the model inside untrusted content: tool results that carry
 * emails, web pages or ticket bodies (DESIGN §4, provenance). This is a <b>heuristic signal, not a
 * proof</b>: an article about prompt injection quotes the same phrases an attack uses, and a
 * careful attack avoids them. The protection that does not depend on spotting the attack is
 * provenance in the policy (tainted values cannot reach sensitive arguments without approval); this
 * guard makes attempts visible in the journal, the counters and the dashboard, and hands the
 * blatant ones to a human.
 *
 * <p>Each signal below has a weight; a text's score is the sum over the distinct signals found. At
 * {@code flag-at} (default 2) the guard records a trip and lets the text through; at {@code
 * escalate-at} (default 4, several independent signals) it escalates to a human, unless {@code
 * flag-only} is set. Signals (English phrasing):
 *
 * <ul>
 *   <li>{@code override-instructions} (2): "ignore all previous instructions", "disregard your
 *       rules", "forget everything above"
 *   <li>{@code chat-template} (2): chat-template tokens and fake turn or tool boundaries such as
 *       {@code <|im_start|>}, {@code [INST]}, {@code <<SYS>>}, {@code </tool_result>}
 *   <li>{@code hidden-tag-characters} (2): text smuggled in invisible Unicode tag characters, which
 *       is decoded and scanned as well
 *   <li>{@code role-reassignment} (1): "you are now", "from now on you", "pretend to be", "new
 *       instructions:"
 *   <li>{@code system-prompt} (1): "system prompt", "developer mode", "jailbreak", "reveal your
 *       instructions"
 *   <li>{@code role-labels} (1): lines like {@code ### System} or {@code [assistant]}
 *   <li>{@code addressed-to-ai} (1): "note to the AI", "if you are an AI assistant"
 *   <li>{@code send-to-address} (1): "send/forward/post … to" an e-mail address or URL
 *   <li>{@code sensitive-data-request} (1): sending or revealing passwords, keys, tokens, the
 *       conversation or whole data sets
 *   <li>{@code image-url-exfiltration} (1): a Markdown image whose URL carries a query string
 *   <li>{@code zero-width-characters} (1): zero-width characters inside words, or long runs of them
 *   <li>{@code bidi-controls} (1): Unicode bidirectional override or isolate controls
 *   <li>{@code hidden-html} (1): invisible HTML (comments, {@code display:none}, zero font size,
 *       white text) together with another signal
 * </ul>
 *
 * <p>Phrases are matched after folding full-width letters and removing zero-width characters, so
 * "ig\u200Bnore previous instructions" still counts. Trusted subjects are skipped unless {@code
 * check-trusted} is set.
 */
public final class InjectionHeuristicGuard implements Guard {

  /** Default guard name. */
  public static final String NAME = "injection-heuristics";

  /** Default score at which a trip is recorded. */
  public static final double DEFAULT_FLAG_AT = 2.0;

  /** Default score at which the guard escalates to a human. */
  public static final double DEFAULT_ESCALATE_AT = 4.0;

  /**
   * A phrase signal. {@code anchors}: strings one of which every match contains, checked with a
   * fast {@code indexOf} before the pattern runs (empty: always run). {@code byLine}: the pattern
   * needs line starts, so it runs on the text with its line breaks instead of the flattened text.
   */
  private record Signal(
      String name, double weight, List<String> anchors, boolean byLine, Pattern pattern) {

    boolean mayMatch(String text) {
      if (anchors.isEmpty()) {
        return true;
      }
      for (String anchor : anchors) {
        if (text.contains(anchor)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A signal found in a text, with the matched snippet (already redacted and cut). */
  record Hit(String signal, double weight, String snippet) {}

  /** Patterns run on lower-cased text, so they are written in lower case and need no flag. */
  private static final int FLAGS = Pattern.MULTILINE;

  private static final String SEND_VERBS =
      "send|forward|e-?mail|post|upload|transmit|exfiltrate|leak|share|submit|copy";

  private static final List<Signal> PHRASES =
      List.of(
          new Signal(
              "override-instructions",
              2.0,
              List.of("ignore ", "disregard ", "forget ", "override ", "bypass "),
              false,
              Pattern.compile(
                  "\\b(?:ignore|disregard|forget|override|bypass)\\s+(?:(?:the|of|and)\\s+)?"
                      + "(?:all|any|every|previous|prior|above|earlier|preceding|former|original"
                      + "|initial|system|existing|your|other)\\s+(?:[\\w-]+\\s+){0,3}?"
                      + "(?:instructions?|prompts?|rules|directions|directives|guidelines"
                      + "|guardrails|constraints|commands|programming)\\b"
                      + "|\\bforget\\s+(?:everything|all)\\s+(?:you\\s+(?:were|have\\s+been)\\s+told"
                      + "|above|before\\s+this|so\\s+far)\\b",
                  FLAGS)),
          new Signal(
              "chat-template",
              2.0,
              List.of(
                  "<|",
                  "[inst]",
                  "[/inst]",
                  "<<sys>>",
                  "<</sys>>",
                  "_of_turn>",
                  "system>",
                  "tool_result",
                  "tool_output>",
                  "function_results>",
                  "function_calls>",
                  "instructions>",
                  "developer>"),
              false,
              Pattern.compile(
                  "<\\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id"
                      + "|start_header_id|end_header_id|begin_of_text)\\|>"
                      + "|\\[/?inst\\]|<</?sys>>|<(?:start|end)_of_turn>"
                      + "|</?(?:system|tool_result|tool_results|function_results|function_calls"
                      + "|tool_output|instructions|developer)>",
                  FLAGS)),
          new Signal(
              "role-reassignment",
              1.0,
              List.of(
                  "you are now",
                  "you're now",
                  "from now on",
                  "pretend ",
                  "act as ",
                  "roleplay as",
                  "new instructions",
                  "new task",
                  "new role",
                  "new persona",
                  "new objective",
                  "new system prompt",
                  " is now",
                  " are now"),
              false,
              Pattern.compile(
                  "\\b(?:you\\s+are\\s+now|you're\\s+now|from\\s+now\\s+on,?\\s+(?:you|your|act"
                      + "|respond|answer|always)\\b|pretend\\s+(?:to\\s+be|you\\s+are)"
                      + "|act\\s+as\\s+(?:if\\s+you\\s+(?:are|were)|an?\\s+(?:unrestricted|unfiltered"
                      + "|uncensored|evil|different|new)\\b)|roleplay\\s+as"
                      + "|new\\s+(?:instructions|task|role|persona|objective|system\\s+prompt)\\s*:"
                      + "|your\\s+(?:new\\s+)?(?:instructions|task|role|goal|objective)\\s+"
                      + "(?:is|are)\\s+now\\b)",
                  FLAGS)),
          new Signal(
              "system-prompt",
              1.0,
              List.of(
                  "prompt",
                  "instructions",
                  "system message",
                  "developer mode",
                  "dan mode",
                  "jailbr",
                  "do anything now"),
              false,
              Pattern.compile(
                  "\\b(?:system\\s+prompt|system\\s+message|(?:hidden|secret)\\s+"
                      + "(?:instructions|prompt)|developer\\s+mode|dan\\s+mode|jailbreak|jailbroken"
                      + "|do\\s+anything\\s+now|(?:reveal|print|show|repeat|output|leak|disclose)"
                      + "\\s+(?:me\\s+)?(?:your|the)\\s+(?:full\\s+)?(?:system\\s+|initial\\s+"
                      + "|original\\s+|hidden\\s+)?(?:prompt|instructions))\\b",
                  FLAGS)),
          new Signal(
              "role-labels",
              1.0,
              List.of("##", "[assistant]", "system", "developer"),
              true,
              Pattern.compile(
                  "^[ \\t]*(?:#{2,4}[ \\t]*(?:system|instructions?|assistant|developer)\\b"
                      + "|\\[(?:system|assistant|developer)\\]"
                      + "|(?:system|developer)[ \\t]+(?:message|prompt|override|instruction)s?"
                      + "[ \\t]*:)",
                  FLAGS)),
          new Signal(
              "addressed-to-ai",
              1.0,
              List.of(
                  " ai",
                  " llm",
                  " chatbot",
                  " model",
                  " gpt",
                  " chatgpt",
                  " automated ",
                  " assistant",
                  " agent",
                  " bot"),
              false,
              Pattern.compile(
                  "\\b(?:(?:dear|attention|note\\s+(?:to|for)|message\\s+(?:to|for)"
                      + "|instructions?\\s+(?:to|for)|hey|hi|hello)\\s+(?:the\\s+)?(?:ai|llm"
                      + "|chatbot|language\\s+model|ai\\s+(?:assistant|agent|model|system)|gpt"
                      + "|chatgpt)|if\\s+you\\s+are\\s+(?:an?\\s+)?(?:ai|llm|language\\s+model"
                      + "|ai\\s+(?:assistant|agent|model)|chatbot|automated\\s+(?:assistant|agent"
                      + "|system))|(?:ai|llm)\\s+(?:agents?|assistants?|models?)\\s+(?:reading"
                      + "|processing|summari[sz]ing|parsing)\\s+this|to\\s+(?:any|the)\\s+(?:ai"
                      + "|llm|assistant|agent|bot)\\s+(?:reading|processing)\\s+this)\\b",
                  FLAGS)),
          new Signal(
              "send-to-address",
              1.0,
              List.of("@", "http://", "https://", "www."),
              false,
              Pattern.compile(
                  "\\b(?:"
                      + SEND_VERBS
                      + ")\\b[^.\\n!?]{0,80}?\\bto\\b[ \\t]*(?:(?:this|the\\s+following|my|our|an?)"
                      + "\\s+)?(?:(?:e-?mail|address|url|endpoint|webhook|server|link|inbox)"
                      + "[ \\t]*:?[ \\t]*)?(?:[\\w.+-]{1,64}@[\\w-]{1,63}(?:\\.[\\w-]{1,63}){1,8}"
                      + "|https?://|www\\.)",
                  FLAGS)),
          new Signal(
              "sensitive-data-request",
              1.0,
              List.of(
                  "password",
                  "credential",
                  "api",
                  "secret",
                  "token",
                  "private key",
                  "conversation",
                  "chat history",
                  "system prompt",
                  "all ",
                  "every ",
                  "entire ",
                  "full ",
                  "customer "),
              false,
              Pattern.compile(
                  "\\b(?:"
                      + SEND_VERBS
                      + "|include|append|reveal|disclose)\\b[^.\\n!?]{0,60}?\\b(?:passwords?"
                      + "|credentials?|api[\\s_-]?keys?|secrets?|access\\s+tokens?|tokens"
                      + "|private\\s+keys?|conversation|chat\\s+history|system\\s+prompt"
                      + "|(?:all|every|the\\s+entire|full)\\s+(?:[\\w-]+\\s+)?(?:emails|messages"
                      + "|data|files|records|customers|contacts|tickets|users|database|inbox)"
                      + "|customer\\s+(?:list|data|records|database))\\b",
                  FLAGS)),
          new Signal(
              "image-url-exfiltration",
              1.0,
              List.of("!["),
              false,
              Pattern.compile(
                  "!\\[[^\\]\\n]{0,200}\\]\\(\\s*https?://[^\\s)]{1,300}\\?[^\\s)]{1,500}")));

  private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

  private static final Pattern HIDDEN_HTML =
      Pattern.compile(
          "<!--|display\\s*:\\s*none|visibility\\s*:\\s*hidden|font-size\\s*:\\s*0(?:px|pt|em)?\\b"
              + "|opacity\\s*:\\s*0(?:\\.0+)?\\b|color\\s*:\\s*(?:#fff(?:fff)?|white|transparent)\\b",
          Pattern.CASE_INSENSITIVE);

  private final String name;
  private final Set<GuardStage> stages;
  private final double flagAt;
  private final double escalateAt;
  private final boolean flagOnly;
  private final boolean checkTrusted;

  private InjectionHeuristicGuard(Builder b) {
    this.name = b.name;
    this.stages = GuardSettings.requireStages(name, b.stages);
    this.flagAt = b.flagAt;
    this.escalateAt = b.escalateAt;
    this.flagOnly = b.flagOnly;
    this.checkTrusted = b.checkTrusted;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<GuardStage> stages() {
    return stages;
  }

  @Override
  public GuardResult check(GuardSubject subject) {
    if (!subject.untrusted() && !checkTrusted) {
      return GuardResult.pass();
    }
    List<Hit> hits = scan(subject.text());
    double score = hits.stream().mapToDouble(Hit::weight).sum();
    if (score < flagAt) {
      return GuardResult.pass();
    }
    StringBuilder reason =
        new StringBuilder("possible prompt injection in ")
            .append(subject.describe())
            .append(subject.untrusted() ? " (untrusted content, score " : " (score ")
            .append(score(score))
            .append("): ");
    for (int i = 0; i < hits.size(); i++) {
      Hit hit = hits.get(i);
      reason.append(i == 0 ? "" : "; ").append(hit.signal()).append(' ').append(hit.snippet());
    }
    if (score >= escalateAt && !flagOnly) {
      return GuardResult.escalate(reason.toString());
    }
    return GuardResult.flag(reason.toString());
  }

  /** The distinct signals in {@code text}, strongest first. */
  static List<Hit> scan(String text) {
    List<Hit> hits = new ArrayList<>();
    StringBuilder hidden = new StringBuilder();
    int wordJoinedInvisibles = 0;
    int invisibleRun = 0;
    int longestInvisibleRun = 0;
    boolean bidi = false;
    boolean inFlagEmoji = false;
    int i = 0;
    int previous = -1;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isTag(cp)) {
        inFlagEmoji = previous == 0x1F3F4 || inFlagEmoji && isTag(previous);
        if (!inFlagEmoji && cp >= 0xE0020 && cp <= 0xE007E) {
          hidden.append((char) (cp - 0xE0000));
        }
      } else if (isZeroWidth(cp) && !(cp == 0xFEFF && i == 0)) {
        invisibleRun++;
        longestInvisibleRun = Math.max(longestInvisibleRun, invisibleRun);
        int after = next < text.length() ? text.codePointAt(next) : -1;
        if (Character.isLetterOrDigit(previous) && Character.isLetterOrDigit(after)) {
          wordJoinedInvisibles++;
        }
      } else if (cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069) {
        bidi = true;
      }
      if (!isZeroWidth(cp)) {
        invisibleRun = 0;
        previous = cp;
      }
      i = next;
    }
    String visible = MatchText.of(text);
    String lined = (hidden.isEmpty() ? visible : visible + "\n" + hidden).toLowerCase(Locale.ROOT);
    String flat = " " + WHITE_SPACE.matcher(lined).replaceAll(" ");
    for (Signal signal : PHRASES) {
      String scanned = signal.byLine() ? lined : flat;
      if (!signal.mayMatch(scanned)) {
        continue;
      }
      Matcher m = signal.pattern().matcher(scanned);
      if (m.find()) {
        hits.add(new Hit(signal.name(), signal.weight(), snippet(m.group())));
      }
    }
    if (!hits.isEmpty()) {
      Matcher m = HIDDEN_HTML.matcher(text);
      if (m.find()) {
        hits.add(new Hit("hidden-html", 1.0, snippet(m.group())));
      }
    }
    if (!hidden.isEmpty()) {
      hits.add(new Hit("hidden-tag-characters", 2.0, "decoded " + snippet(hidden.toString())));
    }
    if (wordJoinedInvisibles >= 2 || longestInvisibleRun >= 8) {
      hits.add(
          new Hit(
              "zero-width-characters",
              1.0,
              "'"
                  + wordJoinedInvisibles
                  + " inside words, longest run "
                  + longestInvisibleRun
                  + "'"));
    }
    if (bidi) {
      hits.add(new Hit("bidi-controls", 1.0, "'override or isolate controls'"));
    }
    hits.sort((a, b) -> Double.compare(b.weight(), a.weight()));
    return List.copyOf(hits);
  }

  private static boolean isTag(int cp) {
    return cp >= 0xE0000 && cp <= 0xE007F;
  }

  private static boolean isZeroWidth(int cp) {
    return cp == 0x200B
        || cp == 0x200C
        || cp == 0x200D
        || cp >= 0x2060 && cp <= 0x2064
        || cp == 0xFEFF
        || cp == 0x180E;
  }

  private static String snippet(String matched) {
    return GuardSettings.quote(Redactor.redact(matched.replaceAll("\\s+", " ")), 60);
  }

  private static String score(double score) {
    return score == Math.rint(score) ? String.valueOf((long) score) : String.valueOf(score);
  }

  /** Builds an {@link InjectionHeuristicGuard}. */
  public static final class Builder {
    private String name = NAME;
    private Set<GuardStage> stages = EnumSet.of(GuardStage.TOOL_RESULT);
    private double flagAt = DEFAULT_FLAG_AT;
    private double escalateAt = DEFAULT_ESCALATE_AT;
    private boolean flagOnly;
    private boolean checkTrusted;

    private Builder() {}

    /** The guard's name in trips (default {@code injection-heuristics}). */
    public Builder name(String name) {
      this.name = GuardSettings.requireName(name);
      return this;
    }

    /** The stages to check: {@code tool-result} (default) and/or {@code input}. */
    public Builder stages(Collection<GuardStage> stages) {
      this.stages =
          EnumSet.copyOf(
              GuardSettings.requireStages(
                  name, stages, EnumSet.of(GuardStage.TOOL_RESULT, GuardStage.INPUT)));
      return this;
    }

    /** The score at which a trip is recorded (default 2). */
    public Builder flagAt(double score) {
      this.flagAt = score;
      return this;
    }

    /** The score at which the guard escalates to a human (default 4). */
    public Builder escalateAt(double score) {
      this.escalateAt = score;
      return this;
    }

    /** Never escalate: record trips only (default false). */
    public Builder flagOnly(boolean only) {
      this.flagOnly = only;
      return this;
    }

    /** Also check subjects that are not marked untrusted (default false). */
    public Builder checkTrusted(boolean check) {
      this.checkTrusted = check;
      return this;
    }

    public InjectionHeuristicGuard build() {
      if (!(flagAt > 0)) {
        throw new ConfigurationException(
            "guard '" + name + "': flag-at must be greater than 0, but was " + flagAt);
      }
      if (!(escalateAt >= flagAt)) {
        throw new ConfigurationException(
            "guard '"
                + name
                + "': escalate-at must be at least flag-at ("
                + flagAt
                + "), but was "
                + escalateAt);
      }
      return new InjectionHeuristicGuard(this);
    }
  }
}
