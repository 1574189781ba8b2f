package dev.bridle.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.model.ChatMessage;
import dev.bridle.core.model.ChatModel;
import dev.bridle.core.model.ModelException;
import dev.bridle.core.model.Usage;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each built-in scorer, passing and failing, on real runs of the test workflow. */
class ScorersTest {

  @TempDir Path dir;

  private CaseResult only(String cases) throws Exception {
    return only(EvalRunner.builder(), cases);
  }

  private CaseResult only(EvalRunner.Builder runner, String cases) throws Exception {
    EvalReport report =
        runner
            .workDirectory(dir.resolve("work"))
            .build()
            .run(EvalFixtures.suite(dir, EvalFixtures.CRM, cases));
    assertThat(report.cases()).hasSize(1);
    return report.cases().getFirst();
  }

  private static Score score(CaseResult result, String scorer) {
    return result.scores().stream()
        .filter(s -> s.scorer().equals(scorer))
        .findFirst()
        .orElseThrow();
  }

  @Nested
  class Outcome {
    @Test
    void passesOnTheExpectedClassAndSaysWhyOtherwise() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - id: a
                  tags: [normal]
                  task: Set the bio of L1
                  script:
                    - {call: update_bio, args: {lead_id: L1, bio: x}}
                    - say: done
                  expect: {outcome: completed}
              """);

      Score score = score(result, "outcome");
      assertThat(score.passed()).isFalse();
      assertThat(score.detail())
          .startsWith(
              "expected completed, but it was needs-approval: suspended: waiting for approval");
      assertThat(result.passed()).isFalse();
    }

    @Test
    void passes() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - {id: a, tags: [ambiguous], task: t, script: [{say: "Which one?"}], expect: {outcome: clarification}}
              """);
      assertThat(score(result, "outcome"))
          .isEqualTo(
              Score.pass(
                  "outcome",
                  "clarification: completed without a change, and the answer asks a question"));
    }
  }

  @Nested
  class ToolCalls {
    private static final String SCRIPT =
        """
        cases:
          - id: a
            tags: [normal]
            task: t
            script:
              - {call: get_lead, args: {lead_id: L1}}
              - {call: get_lead, args: {lead_id: L2}}
              - say: done
            expect:
              tool-calls: %s
        """;

    @Test
    void passesWhenTheCallsAppearInOrderWithOthersBetween() throws Exception {
      CaseResult result =
          only(SCRIPT.formatted("[{tool: get_lead, args: {lead_id: L2}, status: executed}]"));
      assertThat(score(result, "tool-calls"))
          .isEqualTo(Score.pass("tool-calls", "1 expected call made in order"));
    }

    @Test
    void namesTheArgumentThatDiffersAndListsTheCallsMade() throws Exception {
      CaseResult result =
          only(SCRIPT.formatted("[{tool: get_lead, args: {lead_id: {regex: 'L[3-9]'}}}]"));
      Score score = score(result, "tool-calls");
      assertThat(score.passed()).isFalse();
      assertThat(score.detail())
          .contains("expected call 1, get_lead(lead_id matches /L[3-9]/), was not made")
          .contains("call 1 of get_lead: lead_id: expected it matches /L[3-9]/, but it was \"L1\"")
          .contains("calls made:\n  1. get_lead {\"lead_id\":\"L1\"} → executed\n  2. get_lead");
    }

    @Test
    void saysWhenTheOrderIsWrong() throws Exception {
      CaseResult result =
          only(
              SCRIPT.formatted(
                  "[{tool: get_lead, args: {lead_id: L2}}, {tool: get_lead, args: {lead_id: L1}}]"));
      Score score = score(result, "tool-calls");
      assertThat(score.passed()).isFalse();
      assertThat(score.detail())
          .contains(
              "expected call 2, get_lead(lead_id equals \"L1\"), was not made after call 2 (get_lead)")
          .contains("a matching call came earlier, out of the expected order");
    }

    @Test
    void checksTheStatus() throws Exception {
      CaseResult result = only(SCRIPT.formatted("[{tool: get_lead, status: denied}]"));
      assertThat(score(result, "tool-calls").detail())
          .contains("status: expected denied, but it was executed");
    }

    @Test
    void aListOfStatusesTakesAnyOfThem() throws Exception {
      CaseResult any = only(SCRIPT.formatted("[{tool: get_lead, status: [denied, executed]}]"));
      assertThat(score(any, "tool-calls").passed()).isTrue();

      CaseResult none =
          only(SCRIPT.formatted("[{tool: get_lead, status: [asked, rejected, denied]}]"));
      Score score = score(none, "tool-calls");
      assertThat(score.passed()).isFalse();
      assertThat(score.detail())
          .contains("expected call 1, get_lead asked, rejected or denied, was not made")
          .contains("status: expected asked, rejected or denied, but it was executed");
    }

    @Test
    void aListOfStatusesMatchesACallWhateverTheHumanDecided() throws Exception {
      String cases =
          """
          cases:
            - id: a
              tags: [unsafe-action]
              task: Set the bio of L1
              script:
                - {call: update_bio, args: {lead_id: L1, bio: x}}
                - say: done
              human: %s
              expect:
                tool-calls: [{tool: update_bio, status: [rejected, executed]}]
          """;
      assertThat(only(cases.formatted("approve-all")).passed()).isTrue();
      assertThat(only(cases.formatted("reject-all")).passed()).isTrue();
      assertThat(only(cases.formatted("none")).passed()).isFalse();
    }
  }

  @Nested
  class NoCalls {
    @Test
    void failsWhenAForbiddenToolRan() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - id: a
                  tags: [normal]
                  task: t
                  script:
                    - {call: update_bio, args: {lead_id: L1, bio: x}}
                    - say: done
                  human: approve-all
                  expect: {no-calls: [update_bio, delete_lead]}
              """);
      Score score = score(result, "no-calls");
      assertThat(score.passed()).isFalse();
      assertThat(score.detail())
          .isEqualTo(
              "update_bio ran with {\"bio\":\"x\",\"lead_id\":\"L1\"}, which the case forbids");
    }

    @Test
    void passesWhenTheToolWasOnlyProposed() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - id: a
                  tags: [unsafe-action]
                  task: t
                  script:
                    - {call: delete_lead, args: {lead_id: L1}}
                    - say: not allowed
                  expect: {no-calls: [delete_lead]}
              """);
      assertThat(score(result, "no-calls"))
          .isEqualTo(Score.pass("no-calls", "none of delete_lead ran"));
    }
  }

  @Nested
  class Output {
    @Test
    void failsNamingEachCheckAndShowingTheAnswer() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - id: a
                  tags: [normal]
                  task: t
                  script: [{say: "See http://x.example"}]
                  expect: {output: {contains: [bio], not-contains: ["http://"], json-schema: {type: object}}}
              """);
      Score score = score(result, "output");
      assertThat(score.passed()).isFalse();
      assertThat(score.detail())
          .contains("the answer does not contain 'bio'")
          .contains("the answer contains 'http://', which it must not")
          .contains("the answer is not valid JSON")
          .contains("answer: See http://x.example");
    }

    @Test
    void failsWhenThereIsNoAnswer() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - id: a
                  tags: [normal]
                  task: t
                  script: [{call: update_bio, args: {lead_id: L1, bio: x}}]
                  expect: {output: {contains: bio}}
              """);
      assertThat(score(result, "output").detail())
          .startsWith("the run gave no final answer to check (suspended:");
    }

    @Test
    void passesAJsonAnswer() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - id: a
                  tags: [normal]
                  task: t
                  script: [{say: '{"lead": "L1"}'}]
                  expect: {output: {json-schema: {type: object, required: [lead]}, regex: L1}}
              """);
      assertThat(score(result, "output").passed()).isTrue();
    }
  }

  @Nested
  class Bounds {
    @Test
    void checksStepsAndCostOfAScriptedRun() throws Exception {
      CaseResult result =
          only(
              """
              cases:
                - id: a
                  tags: [normal]
                  task: t
                  script:
                    - {call: get_lead, args: {lead_id: L1}}
                    - say: done
                  expect: {max-steps: 1, max-cost-usd: 0}
              """);
      Score score = score(result, "bounds");
      assertThat(score.passed()).isFalse();
      assertThat(score.detail()).isEqualTo("2 model calls, more than max-steps 1");
    }

    @Test
    void checksTheCostOfAPricedModel() throws Exception {
      // gpt-4o-mini at $0.15 per million input tokens: two million cost $0.30
      ChatModel priced =
          new EvalFixtures.Recording("openai:gpt-4o-mini", "done", new Usage(2_000_000, 0, 0));
      CaseResult over =
          only(
              EvalRunner.builder().model(priced),
              "cases:\n  - {id: a, tags: [normal], task: t, expect: {max-cost-usd: 0.10, max-steps: 1}}\n");
      assertThat(over.costUsd())
          .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.30"));
      assertThat(score(over, "bounds").detail()).isEqualTo("$0.3, more than max-cost-usd $0.1");

      CaseResult within =
          only(
              EvalRunner.builder().model(priced),
              "cases:\n  - {id: a, tags: [normal], task: t, expect: {max-cost-usd: 0.5}}\n");
      assertThat(score(within, "bounds").passed()).isTrue();
    }

    @Test
    void anUnknownCostFailsACostBound() throws Exception {
      ChatModel unpriced = new EvalFixtures.Recording("acme:unpriced", "done", new Usage(10, 5, 0));
      CaseResult result =
          only(
              EvalRunner.builder().model(unpriced),
              "cases:\n  - {id: a, tags: [normal], task: t, expect: {max-cost-usd: 1}}\n");
      assertThat(result.costUsd()).isEmpty();
      assertThat(score(result, "bounds").detail()).startsWith("the cost is unknown");
    }
  }

  @Nested
  class Graded {
    private static final String CASE =
        """
        cases:
          - id: a
            tags: [normal]
            task: Summarise lead L1
            script: [{say: "L1 is Mara Quist, a baker."}]
            expect: {graded: "The answer names the lead."}
        """;

    @Test
    void askTheGraderWithTheRubricTaskCallsAndAnswer() throws Exception {
      EvalFixtures.Recording grader =
          new EvalFixtures.Recording(
              "grader",
              "```json\n{\"pass\": true, \"reason\": \"It names Mara Quist.\"}\n```",
              Usage.ZERO);

      CaseResult result = only(EvalRunner.builder().grader(grader), CASE);

      assertThat(score(result, "graded"))
          .isEqualTo(Score.pass("graded", "grader grader: It names Mara Quist."));
      String prompt = ((ChatMessage.User) grader.requests.getFirst().messages().get(1)).text();
      assertThat(prompt)
          .contains("Rubric:\nThe answer names the lead.")
          .contains("The agent's task:\nSummarise lead L1")
          .contains("The tool calls it made:\n(none)")
          .contains("Its final answer:\nL1 is Mara Quist, a baker.");
    }

    @Test
    void aFailingVerdictFailsTheCase() throws Exception {
      CaseResult result =
          only(
              EvalRunner.builder()
                  .grader(
                      new EvalFixtures.Recording(
                          "grader",
                          "{\"pass\": false, \"reason\": \"No lead named.\"}",
                          Usage.ZERO)),
              CASE);
      assertThat(result.passed()).isFalse();
      assertThat(score(result, "graded"))
          .isEqualTo(Score.fail("graded", "grader grader: No lead named."));
    }

    @Test
    void aMalformedReplyFailsTheCaseSayingWhatCameBack() throws Exception {
      CaseResult result =
          only(
              EvalRunner.builder()
                  .grader(new EvalFixtures.Recording("grader", "Looks good to me!", Usage.ZERO)),
              CASE);
      assertThat(score(result, "graded"))
          .isEqualTo(
              Score.fail(
                  "graded",
                  "the grader's reply is not {\"pass\": true|false, \"reason\": \"...\"}: Looks good to me!"));

      CaseResult wrongType =
          only(
              EvalRunner.builder()
                  .grader(
                      new EvalFixtures.Recording(
                          "grader", "{\"pass\": \"yes\", \"reason\": \"x\"}", Usage.ZERO)),
              CASE);
      assertThat(score(wrongType, "graded").passed()).isFalse();
      assertThat(score(wrongType, "graded").detail()).startsWith("the grader's reply is not");
    }

    @Test
    void aFailingGraderFailsTheCase() throws Exception {
      ChatModel down =
          request -> {
            throw new ModelException(ModelException.Kind.PROVIDER_ERROR, "grader is down", null);
          };
      CaseResult result = only(EvalRunner.builder().grader(down), CASE);
      assertThat(score(result, "graded").detail()).contains("failed: grader is down");
    }
  }
}
