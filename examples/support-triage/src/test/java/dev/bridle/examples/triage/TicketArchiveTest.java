package dev.bridle.examples.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TicketArchiveTest {

  private final TicketArchive archive = TicketArchive.bundled();

  @Test
  void theBundledArchiveHoldsTwentyFourTicketsWithConsecutiveIds() {
    List<String> expected = IntStream.rangeClosed(1001, 1024).mapToObj(n -> "T-" + n).toList();

    assertThat(archive.tickets()).extracting(PastTicket::id).isEqualTo(expected);
    assertThat(archive.knownRange()).isEqualTo("T-1001..T-1024");
  }

  @Test
  void theBundledArchiveCoversEveryCategoryAndUrgency() {
    assertThat(archive.tickets())
        .extracting(PastTicket::category)
        .containsAll(Arrays.asList(Category.values()));
    assertThat(archive.tickets())
        .extracting(PastTicket::urgency)
        .containsAll(Arrays.asList(Urgency.values()));
    assertThat(archive.tickets())
        .allSatisfy(
            ticket -> {
              assertThat(ticket.subject()).isNotBlank();
              assertThat(ticket.body()).hasSizeGreaterThan(20);
              assertThat(ticket.resolution()).hasSizeGreaterThan(20);
            });
  }

  @Test
  void findsTicketsById() {
    assertThat(archive.find("T-1013")).map(PastTicket::category).contains(Category.billing);
    assertThat(archive.find("T-9999")).isEmpty();
  }

  @Test
  void anUnknownIdIsAnExceptionThatNamesTheKnownIds() {
    assertThatThrownBy(() -> archive.require("T-9999"))
        .isInstanceOf(UnknownTicketException.class)
        .hasMessage("no ticket T-9999; ids are T-1001..T-1024");
  }

  @Test
  void theMostSimilarTicketSharesTheMostWords() {
    List<TicketMatch> matches =
        archive.mostSimilar("We were charged twice, two invoices for the annual plan", 3);

    assertThat(matches).hasSize(3);
    assertThat(matches.getFirst().id()).isEqualTo("T-1001");
    assertThat(matches)
        .extracting(TicketMatch::score)
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(matches).allSatisfy(match -> assertThat(match.score()).isBetween(0.0, 1.0));
  }

  @Test
  void searchIsDeterministic() {
    String query = "The login page times out and nobody on the team can log in";

    assertThat(archive.mostSimilar(query, 5)).isEqualTo(archive.mostSimilar(query, 5));
    assertThat(archive.mostSimilar(query, 5).getFirst().id()).isEqualTo("T-1021");
  }

  @Test
  void aTextWithoutCommonWordsFindsNothing() {
    assertThat(archive.mostSimilar("Zxqv plorb", 5)).isEmpty();
    assertThat(archive.mostSimilar("the and of to", 5)).isEmpty();
  }

  @Test
  void termsDropStopWordsCaseAndPlurals() {
    assertThat(TextSimilarity.terms("The Invoices are WRONG for our clients!"))
        .containsExactly("client", "invoice", "wrong");
    assertThat(TextSimilarity.terms("Access status")).containsExactly("access", "status");
  }

  @Test
  void jaccardIsTheSharedFractionOfAllTerms() {
    assertThat(TextSimilarity.jaccard(java.util.Set.of("a", "b"), java.util.Set.of("b", "c")))
        .isEqualTo(1.0 / 3);
    assertThat(TextSimilarity.jaccard(java.util.Set.of(), java.util.Set.of())).isZero();
  }
}
