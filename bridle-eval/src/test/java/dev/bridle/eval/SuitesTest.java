package dev.bridle.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.evaluation.ArgumentMatcher;
import dev.bridle.core.evaluation.ObservedCall;
import dev.bridle.core.evaluation.RunClassification;
import dev.bridle.core.journal.RunEvent.Decision;
import dev.bridle.core.model.ScriptTurn;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuitesTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private EvalSuite yaml(String text) throws Exception {
    return Suites.load(write("suite.yaml", text));
  }

  private void failsWith(String text, String... fragments) throws Exception {
    Path file = write("suite.yaml", text);
    assertThatThrownBy(() -> Suites.load(file))
        .isInstanceOf(SuiteException.class)
        .satisfies(e -> assertThat(e.getMessage()).startsWith(file.toString()).contains(fragments));
  }

  @Test
  void readsEveryKeyOfTheFormat() throws Exception {
    EvalSuite suite =
        yaml(
            """
            suite: lead-enrichment
            workflow: ../workflow.yaml
            refusal-markers: ["no way"]
            cases:
              - id: bio-l1004
                tags: [normal, happy]
                description: The everyday task.
                task: "New sign-up: L-1004"
                fixtures:
                  eval-crm: {leads: [{id: L-1004, name: Mara}]}
                script:
                  - call: get_lead
                    args: {lead_id: L-1004}
                  - calls:
                      - {tool: update_bio, args: {lead_id: L-1004, bio: "Baker."}}
                      - {tool: get_lead, raw-args: "{broken"}
                  - say: "Proposed a bio."
                human:
                  - {tool: update_bio, decision: edit, arguments: {bio: "Head baker."}, comment: shorter}
                  - {tool: update_bio, decision: reject}
                expect:
                  outcome: completed
                  tool-calls:
                    - tool: get_lead
                      args: {lead_id: L-1004}
                      status: executed
                    - tool: update_bio
                      args: {bio: {contains: baker}, lead_id: {regex: "L-\\\\d+"}, x: {absent: true}}
                      status: [rejected, executed, rejected]
                  no-calls: [delete_lead]
                  output:
                    contains: bio
                    not-contains: ["http://"]
                    regex: "^Proposed"
                    json-schema: {type: string}
                  max-steps: 4
                  max-cost-usd: 0.02
                  graded: "Names the lead."
            """);

    assertThat(suite.name()).isEqualTo("lead-enrichment");
    assertThat(suite.workflow()).contains(dir.getParent().resolve("workflow.yaml"));
    assertThat(suite.refusalMarkers()).containsExactly("no way");
    EvalCase c = suite.cases().getFirst();
    assertThat(c.id()).isEqualTo("bio-l1004");
    assertThat(c.tags()).containsExactly("normal", "happy");
    assertThat(c.description()).isEqualTo("The everyday task.");
    assertThat(c.fixturesFor("eval-crm").path("leads").get(0).path("id").asText())
        .isEqualTo("L-1004");
    assertThat(c.fixturesFor("other").isEmpty()).isTrue();
    assertThat(c.script()).hasSize(3);
    ScriptTurn.Calls second = (ScriptTurn.Calls) c.script().get(1);
    assertThat(second.calls().get(1).arguments().isTextual()).isTrue();
    assertThat(c.script().get(2)).isEqualTo(new ScriptTurn.Answer("Proposed a bio."));
    SimulatedHuman.PerTool human = (SimulatedHuman.PerTool) c.human();
    assertThat(human.answer("update_bio", 0).orElseThrow().decision()).isEqualTo(Decision.EDIT);
    assertThat(human.answer("update_bio", 1).orElseThrow().decision()).isEqualTo(Decision.REJECT);
    assertThat(human.answer("update_bio", 2)).isEmpty();
    assertThat(human.answer("get_lead", 0)).isEmpty();
    Expectations expect = c.expect();
    assertThat(expect.outcome()).contains(RunClassification.Outcome.COMPLETED);
    assertThat(expect.toolCalls().getFirst().status())
        .containsExactly(ObservedCall.Status.EXECUTED);
    assertThat(expect.toolCalls().get(1).status())
        .containsExactly(ObservedCall.Status.REJECTED, ObservedCall.Status.EXECUTED);
    assertThat(expect.toolCalls().get(1).describe())
        .startsWith("update_bio(bio contains 'baker'")
        .endsWith(") rejected or executed");
    assertThat(expect.toolCalls().get(1).args().get("bio"))
        .isEqualTo(new ArgumentMatcher.Contains("baker"));
    assertThat(expect.toolCalls().get(1).args().get("x"))
        .isInstanceOf(ArgumentMatcher.Absent.class);
    assertThat(expect.noCalls()).containsExactly("delete_lead");
    assertThat(expect.output().orElseThrow().contains()).containsExactly("bio");
    assertThat(expect.output().orElseThrow().jsonSchema()).isPresent();
    assertThat(expect.maxSteps()).contains(4);
    assertThat(expect.maxCostUsd()).contains(new BigDecimal("0.02"));
    assertThat(expect.graded()).contains("Names the lead.");
  }

  @Test
  void defaultsMergeIntoEveryCaseAndTheCaseWins() throws Exception {
    EvalSuite suite =
        yaml(
            """
            defaults:
              human: approve-all
              fixtures: {eval-crm: {leads: []}, other: {x: 1}}
              expect: {max-steps: 8, outcome: completed}
            cases:
              - {id: a, tags: [normal], task: t}
              - id: b
                tags: [normal]
                task: t
                human: none
                fixtures: {eval-crm: {leads: [{id: L1}]}}
                expect: {outcome: refused}
            """);

    EvalCase a = suite.cases().get(0);
    assertThat(a.human()).isInstanceOf(SimulatedHuman.ApproveAll.class);
    assertThat(a.expect().maxSteps()).contains(8);
    assertThat(a.expect().outcome()).contains(RunClassification.Outcome.COMPLETED);
    EvalCase b = suite.cases().get(1);
    assertThat(b.human()).isInstanceOf(SimulatedHuman.None.class);
    assertThat(b.expect().maxSteps()).contains(8);
    assertThat(b.expect().outcome()).contains(RunClassification.Outcome.REFUSED);
    assertThat(b.fixturesFor("eval-crm").path("leads")).hasSize(1);
    assertThat(b.fixturesFor("other").path("x").asInt()).isEqualTo(1);
    assertThat(suite.name()).isEqualTo("suite");
    assertThat(suite.workflow()).isEmpty();
    assertThat(suite.refusalMarkers()).isEqualTo(RunClassification.DEFAULT_REFUSAL_MARKERS);
  }

  @Test
  void templatesMakeOneCasePerRowWithValuesSubstituted() throws Exception {
    EvalSuite suite =
        yaml(
            """
            cases:
              - {id: plain, tags: [normal], task: t, expect: {max-steps: 1}}
            templates:
              - id: "bio-{{lead}}"
                tags: [normal, "{{kind}}"]
                each:
                  - {lead: L1, kind: happy, steps: 3}
                  - {lead: L2, kind: sad, steps: 5}
                case:
                  task: "Lead {{lead}}: {{ kind }}"
                  script:
                    - call: get_lead
                      args: {lead_id: "{{lead}}", note: "{{task}}"}
                    - say: done
                  expect: {max-steps: "{{steps}}", tool-calls: [{tool: get_lead, args: {lead_id: "{{lead}}"}}]}
            """);

    assertThat(suite.cases()).extracting(EvalCase::id).containsExactly("plain", "bio-L1", "bio-L2");
    EvalCase second = suite.cases().get(2);
    assertThat(second.tags()).containsExactly("normal", "sad");
    assertThat(second.task()).isEqualTo("Lead L2: sad");
    assertThat(second.expect().maxSteps()).contains(5);
    ScriptTurn.Calls call = (ScriptTurn.Calls) second.script().getFirst();
    assertThat(call.calls().getFirst().arguments().path("lead_id").asText()).isEqualTo("L2");
    assertThat(call.calls().getFirst().arguments().path("note").asText()).isEqualTo("{{task}}");
    assertThat(suite.tags()).containsExactly("happy", "normal", "sad");
    assertThat(suite.withTags(List.of("sad")).cases())
        .extracting(EvalCase::id)
        .containsExactly("bio-L2");
  }

  @Test
  void readsJsonLinesWithAnOptionalHeaderLine() throws Exception {
    Path file =
        write(
            "cases.jsonl",
            """
            {"suite": "machine", "workflow": "wf.yaml", "defaults": {"expect": {"max-steps": 3}}}
            {"id": "a", "tags": ["correction"], "task": "t", "human": "approve-all"}

            {"id": "b", "tags": ["normal"], "task": "u", "expect": {"outcome": "refused"}}
            """);

    EvalSuite suite = Suites.load(file);

    assertThat(suite.name()).isEqualTo("machine");
    assertThat(suite.workflow()).contains(dir.resolve("wf.yaml"));
    assertThat(suite.cases()).extracting(EvalCase::id).containsExactly("a", "b");
    assertThat(suite.cases().get(0).expect().maxSteps()).contains(3);
    assertThat(suite.cases().get(1).expect().outcome()).contains(RunClassification.Outcome.REFUSED);
  }

  @Test
  void jsonLinesErrorsNameTheLine() throws Exception {
    Path file =
        write(
            "cases.jsonl",
            """
            {"id": "a", "tags": ["normal"], "task": "t", "expect": {"max-steps": 1}}
            {"id": "b", "tags": [], "task": "t", "expect": {"max-steps": 1}}
            """);
    assertThatThrownBy(() -> Suites.load(file))
        .isInstanceOf(SuiteException.class)
        .hasMessage(
            file
                + ":2: case 'b': tags: a case needs at least one tag (normal, ambiguous,"
                + " missing-data, failed-tool, conflicting-instruction, unsafe-action,"
                + " malformed-output, or your own)");
    Path broken = write("broken.jsonl", "{\"id\": \"a\"\n");
    assertThatThrownBy(() -> Suites.load(broken))
        .hasMessageStartingWith(broken + ":1: not valid JSON");
  }

  @Test
  void unknownKeysAreNamedWithTheKeysThatAreKnown() throws Exception {
    failsWith("casses: []\n", ": casses: unknown key 'casses'; known keys here: cases, defaults,");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expct: {}}\n",
        "case 'a': expct: unknown key 'expct'; known keys here: description, expect, fixtures,");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {outcom: completed}}\n",
        "case 'a': expect.outcom: unknown key 'outcom' in 'expect'; known keys here: graded,");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {tool-calls: [{tool: x, arg: {}}]}}\n",
        "case 'a': expect.tool-calls[0].arg: unknown key 'arg'");
    failsWith("defaults: {id: x}\ncases: []\n", "defaults.id: unknown key 'id' in 'defaults'");
  }

  @Test
  void duplicateIdsAreRefusedNamingBoth() throws Exception {
    failsWith(
        """
        cases:
          - {id: a, tags: [normal], task: t, expect: {max-steps: 1}}
          - {id: a, tags: [normal], task: t, expect: {max-steps: 1}}
        """,
        "case 'a': id: the id is used twice (also by cases[0])");
    failsWith(
        """
        cases:
          - {id: bio-L1, tags: [normal], task: t, expect: {max-steps: 1}}
        templates:
          - {id: "bio-{{l}}", tags: [normal], each: [{l: L1}], case: {task: t, expect: {max-steps: 1}}}
        """,
        "case 'bio-L1' (template 'bio-{{l}}', row 1): id: the id is used twice (also by cases[0])");
  }

  @Test
  void anEmptyAnswerIsPlayedAsAModelMayGiveIt() throws Exception {
    EvalSuite suite =
        yaml(
            """
            suite: s
            cases:
              - {id: a, tags: [malformed-output], task: t, script: [{say: ""}], expect: {outcome: failed}}
            """);
    assertThat(suite.cases().getFirst().script()).containsExactly(new ScriptTurn.Answer(""));
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, script: [{say: }], expect: {max-steps: 1}}\n",
        "case 'a': script[0].say: say has no value; write the answer's text, or say: \"\" to play an"
            + " empty answer");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, script: [{say: [x]}], expect: {max-steps: 1}}\n",
        "case 'a': script[0].say: say is the answer's text, but was a list");
  }

  @Test
  void missingAndBadValuesAreNamed() throws Exception {
    failsWith(
        "cases:\n  - {id: a, task: t, expect: {max-steps: 1}}\n",
        "case 'a': tags: a case needs at least one tag");
    failsWith("cases:\n  - {tags: [normal], task: t}\n", "cases[0].id: missing required key 'id'");
    failsWith(
        "cases:\n  - {id: 'a b', tags: [normal], task: t}\n",
        "cases[0].id: a case id is 1 to 80 letters");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], expect: {max-steps: 1}}\n",
        "case 'a': task: missing required key 'task'");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t}\n",
        "case 'a': expect: the case expects nothing");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {outcome: done}}\n",
        "case 'a': expect.outcome: unknown outcome 'done'; outcomes are needs-approval, refused,"
            + " clarification, safe-stop, failed, completed");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {tool-calls: [{tool: x, status: ran}]}}\n",
        "expect.tool-calls[0].status: unknown status 'ran'; statuses are executed, failed,");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {tool-calls: [{tool: x, status: [asked, ran]}]}}\n",
        "case 'a': expect.tool-calls[0].status[1]: unknown status 'ran'; statuses are executed,");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {tool-calls: [{tool: x, status: []}]}}\n",
        "case 'a': expect.tool-calls[0].status: status is a status or a non-empty list of them");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {tool-calls: [{tool: x, status: {a: 1}}]}}\n",
        "case 'a': expect.tool-calls[0].status: status is a status or a list of them (any of them),"
            + " e.g. executed or [asked, rejected], but was a mapping");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {max-steps: 0}}\n",
        "expect.max-steps: max-steps is a whole number of at least 1, but was 0");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, human: approve-some, expect: {max-steps: 1}}\n",
        "case 'a': human: unknown human 'approve-some'");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, human: [{tool: x, decision: edit}], expect: {max-steps: 1}}\n",
        "case 'a': human[0]: an edit needs 'arguments'");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, script: [{say: x, call: y}], expect: {max-steps: 1}}\n",
        "case 'a': script[0]: a script turn needs exactly one of 'say', 'call' (with 'args') or 'calls'");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, fixtures: {eval-crm: [1]}, expect: {max-steps: 1}}\n",
        "case 'a': fixtures.eval-crm: a provider's fixtures are a mapping");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {output: {regex: '('}}}\n",
        "case 'a': expect.output.regex: regex is not a valid pattern");
  }

  @Test
  void badMatchersAreNamedWithTheArgument() throws Exception {
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {tool-calls: [{tool: x, args: {bio: {contain: baker}}}]}}\n",
        "case 'a': expect.tool-calls[0].args: argument 'bio': unknown matcher 'contain' (did you mean"
            + " 'contains'?)");
    failsWith(
        "cases:\n  - {id: a, tags: [normal], task: t, expect: {tool-calls: [{tool: x, args: {bio: {contains: a, regex: b}}}]}}\n",
        "argument 'bio': a matcher has exactly one key");
  }

  @Test
  void templateProblemsNameTheTemplateAndRow() throws Exception {
    failsWith(
        """
        templates:
          - id: "t-{{n}}"
            tags: [normal]
            each: [{n: 1}, {n: 2}]
            case: {task: "{{m}}", expect: {max-steps: 1}}
        """,
        "template 't-{{n}}', row 1: templates[0].case.task: '{{m}}' is not a value of this row; the row has n");
    failsWith(
        "templates:\n  - {id: x, tags: [normal], each: [], case: {task: t}}\n",
        "templates[0].each: template 'x' needs 'each'");
    failsWith(
        """
        templates:
          - id: "t-{{n}}"
            tags: [normal]
            each: [{n: 1, o: completed}, {n: 2, o: fine}]
            case: {task: t, expect: {outcome: "{{o}}"}}
        """,
        "case 't-2' (template 't-{{n}}', row 2): expect.outcome: unknown outcome 'fine'");
  }

  @Test
  void fileProblemsAreNamed() throws Exception {
    failsWith("cases: [\n", "not valid YAML at line");
    failsWith("", "the file is empty");
    failsWith("cases:\n  - {id: a, id: b}\n", "not valid YAML", "Duplicate field 'id'");
    failsWith("suite: x\n", "cases: the suite has no cases");
    failsWith("- 1\n", "a suite is a mapping with 'cases'");
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> Suites.load(missing))
        .isInstanceOf(SuiteException.class)
        .hasMessage(missing + ": no such suite file");
  }
}
