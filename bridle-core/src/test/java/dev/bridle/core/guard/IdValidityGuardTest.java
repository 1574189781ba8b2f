package dev.bridle.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bridle.core.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdValidityGuardTest {

  private final Set<String> tickets = Set.of("TCK-1001", "TCK-1002");
  private final List<String> lookedUp = new ArrayList<>();

  private IdValidityGuard.Builder guard() {
    return IdValidityGuard.builder()
        .idPattern("TCK-\\d+")
        .exists(
            id -> {
              lookedUp.add(id);
              return tickets.contains(id);
            });
  }

  private static GuardSubject args(String tool, String json) {
    return GuardSubject.toolArguments("support", tool, json);
  }

  @Test
  void existingIdsPass() {
    assertThat(guard().build().check(args("close_ticket", "{\"id\":\"TCK-1001\"}")))
        .isEqualTo(GuardResult.pass());
  }

  @Test
  void unknownIdsAreReaskedAndEachDistinctIdIsLookedUpOnce() {
    GuardResult result =
        guard()
            .build()
            .check(
                args(
                    "merge_tickets",
                    "{\"from\":\"TCK-9999\",\"into\":\"TCK-1002\",\"also\":[\"TCK-9999\",\"TCK-7\"]}"));

    assertThat(result)
        .isEqualTo(
            GuardResult.reask(
                "Unknown ids in arguments 'also[0]', 'also[1]', 'from' of tool 'merge_tickets':"
                    + " 'TCK-9999', 'TCK-7'. No"
                    + " such records exist. Use only ids you got from a tool result or the task;"
                    + " look a record up first if you are not sure."));
    assertThat(lookedUp).containsExactly("TCK-9999", "TCK-1002", "TCK-7");
  }

  @Test
  void aNamedGroupSelectsTheIdInsideTheMatch() {
    IdValidityGuard byField = guard().idPattern("\"ticket_id\"\\s*:\\s*\"(?<id>[^\"]+)\"").build();

    assertThat(
            byField.check(args("close_ticket", "{\"ticket_id\":\"TCK-1001\",\"ref\":\"TCK-5\"}")))
        .isEqualTo(GuardResult.pass());
    assertThat(lookedUp).containsExactly("TCK-1001");
  }

  @Test
  void anIdRightAfterALineBreakIsFoundInTheDecodedValue() {
    IdValidityGuard bounded = guard().idPattern("\\bTCK-\\d+\\b").build();

    GuardResult result =
        bounded.check(args("create_note", "{\"text\":\"Compare with:\\nTCK-4040\"}"));

    assertThat(result).isInstanceOf(GuardResult.Reask.class);
    assertThat(((GuardResult.Reask) result).feedback())
        .startsWith("Unknown id in argument 'text' of tool 'create_note': 'TCK-4040'.");
    assertThat(lookedUp).containsExactly("TCK-4040");
  }

  @Test
  void anIdFoundByAPatternThatNamesAKeyIsLocatedInThatArgument() {
    IdValidityGuard byField =
        guard()
            .idPattern("\"ticket_id\"\\s*:\\s*\"(?<id>[^\"]+)\"")
            .action(GuardAction.BLOCK)
            .build();

    assertThat(byField.check(args("close_ticket", "{\"ticket_id\":\"TCK-5\"}")))
        .isEqualTo(
            GuardResult.block(
                "unknown id in argument 'ticket_id' of tool 'close_ticket': 'TCK-5'"));
  }

  @Test
  void onlyTheConfiguredToolsAreChecked() {
    IdValidityGuard onlyClose = guard().tools(List.of("close_ticket")).build();

    assertThat(onlyClose.check(args("search", "{\"q\":\"TCK-4040\"}")))
        .isEqualTo(GuardResult.pass());
    assertThat(lookedUp).isEmpty();
  }

  @Test
  void lookupsAreBoundedPerCheck() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      many.append("TCK-").append(5000 + i).append(' ');
    }

    guard().maxIds(3).build().check(args("bulk", many.toString()));

    assertThat(lookedUp).containsExactly("TCK-5000", "TCK-5001", "TCK-5002");
  }

  @Test
  void itCanBlockInsteadOfReasking() {
    assertThat(guard().action(GuardAction.BLOCK).build().check(args("close_ticket", "TCK-3")))
        .isEqualTo(
            GuardResult.block("unknown id in the arguments of tool 'close_ticket': 'TCK-3'"));
  }

  @Test
  void patternAndLookupAreRequired() {
    assertThatThrownBy(() -> IdValidityGuard.builder().exists(id -> true).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("guard 'id-validity' needs an id-pattern");
    assertThatThrownBy(() -> IdValidityGuard.builder().idPattern("x").build())
        .hasMessage("guard 'id-validity' needs a lookup that says whether an id exists");
  }
}
