package dev.bridle.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.journal.RunId;
import dev.bridle.core.tool.ToolContext;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TriageDeskTest {

  private final TriageDesk desk = new TriageDesk();

  @Test
  void concurrentDraftsAllGetDistinctIds() throws Exception {
    RunId run = RunId.of("run-concurrent");
    List<Callable<ReplyDraft>> drafts =
        IntStream.range(0, 200)
            .<Callable<ReplyDraft>>mapToObj(
                i -> () -> desk.draft(context(run, "call_" + i), "Subject " + i, "Body " + i))
            .toList();

    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (Future<ReplyDraft> draft : threads.invokeAll(drafts)) {
        draft.get();
      }
    }

    assertThat(desk.drafts()).hasSize(200);
    assertThat(desk.drafts()).extracting(ReplyDraft::id).doesNotHaveDuplicates();
    assertThat(desk.draftsOf(run)).hasSize(200);
  }

  @Test
  void theSameIdempotencyKeyStoresOnce() {
    RunId run = RunId.of("run-retried");
    ReplyDraft first = desk.draft(context(run, "call_1"), "Hello", "First attempt body");
    ReplyDraft again = desk.draft(context(run, "call_1"), "Hello", "First attempt body");

    assertThat(again).isEqualTo(first);
    assertThat(desk.drafts()).containsExactly(first);
  }

  @Test
  void recordsAreKeptPerRun() {
    RunId one = RunId.of("run-one");
    RunId two = RunId.of("run-two");
    desk.classify(context(one, "call_1"), Category.bug, Urgency.low, "first reason here");
    desk.classify(context(one, "call_2"), Category.outage, Urgency.urgent, "corrected reason");
    desk.note(context(two, "call_1"), "A note about run two", List.of("T-1001"));

    assertThat(desk.classificationOf(one)).map(Classification::category).contains(Category.outage);
    assertThat(desk.classificationOf(two)).isEmpty();
    assertThat(desk.notesOf(one)).isEmpty();
    assertThat(desk.notesOf(two))
        .singleElement()
        .extracting(InternalNote::relatedTickets)
        .isEqualTo(List.of("T-1001"));
  }

  private static ToolContext context(RunId run, String callId) {
    return new ToolContext(
        run, callId, run + "/" + callId, "agent:test@1", Instant.now().plusSeconds(60));
  }
}
