package dev.bridle.cli;

import dev.bridle.core.tool.Effect;
import dev.bridle.core.tool.Tool;
import dev.bridle.core.tool.ToolOutput;
import dev.bridle.core.tool.ToolProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tools for the governance command tests, found through {@code META-INF/services}: a reversible
 * WRITE ({@code set_status}, which reports its change and inverse) and an EXTERNAL call ({@code
 * send_email}, which the default SUPERVISED policy sends to a human). Their effects land in static
 * maps so that a test can see what happened across separate command invocations.
 */
public final class GovernanceTestTools implements ToolProvider {

  /** Record id → status; a record nobody touched is {@code open}. */
  static final Map<String, String> STATUS = new ConcurrentHashMap<>();

  /** Recipient → e-mails sent. */
  static final Map<String, AtomicInteger> SENT = new ConcurrentHashMap<>();

  /** The arguments of {@code set_status}. */
  public record SetStatus(String record, String status) {}

  /** The arguments of {@code send_email}. */
  public record Email(String to, String body) {}

  static String status(String record) {
    return STATUS.getOrDefault(record, "open");
  }

  static int sent(String to) {
    AtomicInteger count = SENT.get(to);
    return count == null ? 0 : count.get();
  }

  @Override
  public String name() {
    return "cli-governance-test";
  }

  @Override
  public List<Tool<?>> tools() {
    return List.of(
        Tool.builder("set_status", SetStatus.class)
            .description("Set a record's status.")
            .effect(Effect.WRITE)
            .idempotent(true)
            .reversible(true)
            .handler(
                (args, context) -> {
                  String before = status(args.record());
                  STATUS.put(args.record(), args.status());
                  return ToolOutput.of("record " + args.record() + " is now " + args.status())
                      .changed(
                          "test:record/" + args.record(),
                          Map.of("status", before),
                          Map.of("status", args.status()))
                      .undoneBy("set_status", new SetStatus(args.record(), before));
                })
            .build(),
        Tool.builder("send_email", Email.class)
            .description("Send an e-mail to a customer.")
            .effect(Effect.EXTERNAL)
            .preview(args -> "To: " + args.to() + "\n\n" + args.body())
            .handler(
                (args, context) -> {
                  SENT.computeIfAbsent(args.to(), to -> new AtomicInteger()).incrementAndGet();
                  return "sent to " + args.to();
                })
            .build());
  }
}
