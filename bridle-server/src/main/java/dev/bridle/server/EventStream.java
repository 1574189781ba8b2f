package dev.bridle.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bridle.core.journal.JournalEntry;
import dev.bridle.core.journal.RunEvent;
import dev.bridle.core.journal.RunId;
import dev.bridle.core.journal.StoreUnavailableException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /runs/{id}/stream}: a run's events as Server-Sent Events. Replays the journal from
 * {@code ?after=N} (or the {@code Last-Event-ID} of a reconnecting client), then follows it by
 * polling, until the run ends (an {@code end} event follows the terminal one), the client leaves,
 * or the server stops. Each event: {@code id: seq}, {@code event: <type>}, {@code data: {"seq",
 * "event"}}, redacted like every response. A comment line every 15 s keeps proxies from closing an
 * idle stream and tells the server when the client has gone.
 */
final class EventStream {

  private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
  private static final long HEARTBEAT_NANOS = 15_000_000_000L;

  private final ServerContext server;

  EventStream(ServerContext server) {
    this.server = server;
  }

  void stream(Context ctx) {
    RunId runId = Requests.runId(ctx);
    server.run(runId);
    long after = lastEventId(ctx);
    ctx.status(200);
    ctx.res().setContentType("text/event-stream; charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-store");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    try {
      OutputStream out = ctx.res().getOutputStream();
      write(out, "retry: 2000\n\n");
      follow(runId, after, out);
    } catch (IOException e) {
      LOG.fine(() -> "stream of run " + runId + " ended: the client left (" + e + ")");
    }
  }

  private void follow(RunId runId, long after, OutputStream out) throws IOException {
    long lastSeq = after;
    long lastWrite = System.nanoTime();
    boolean ended = false;
    while (server.serving().getAsBoolean()) {
      List<JournalEntry> entries;
      try {
        entries = server.store().readAfter(runId, lastSeq);
      } catch (StoreUnavailableException e) {
        LOG.log(Level.WARNING, "stream of run " + runId + ": store unavailable, retrying", e);
        entries = List.of();
      }
      for (JournalEntry entry : entries) {
        ObjectNode data = server.views().entry(entry);
        write(
            out,
            "id: "
                + entry.seq()
                + "\nevent: "
                + entry.event().getClass().getSimpleName()
                + "\ndata: "
                + Jsons.text(data)
                + "\n\n");
        lastSeq = entry.seq();
        lastWrite = System.nanoTime();
        ended |= ends(entry.event());
      }
      if (ended) {
        ObjectNode end = Jsons.object();
        end.put("runId", runId.value());
        end.put("status", server.run(runId).status().name());
        write(out, "event: end\ndata: " + Jsons.text(end) + "\n\n");
        return;
      }
      if (System.nanoTime() - lastWrite >= HEARTBEAT_NANOS) {
        write(out, ": keep-alive\n\n");
        lastWrite = System.nanoTime();
      }
      try {
        Thread.sleep(server.streamPollInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean ends(RunEvent event) {
    return event instanceof RunEvent.RunCompleted
        || event instanceof RunEvent.RunFailed
        || event instanceof RunEvent.RunCancelled;
  }

  private static long lastEventId(Context ctx) {
    String header = ctx.header("Last-Event-ID");
    if (header != null && ctx.queryParam("after") == null) {
      try {
        return Math.max(0, Long.parseLong(header.strip()));
      } catch (NumberFormatException e) {
        throw ApiException.invalid(
            "Last-Event-ID", "Last-Event-ID must be a sequence number, but was '" + header + "'");
      }
    }
    return RunsApi.after(ctx);
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
