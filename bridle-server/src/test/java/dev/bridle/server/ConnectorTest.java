package dev.bridle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bridle.core.cluster.InMemoryRunQueue;
import dev.bridle.core.control.KillSwitch;
import dev.bridle.core.journal.InMemoryRunStore;
import dev.bridle.server.auth.InMemoryTokenStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The server's one connector: its accept queue and a burst of new connections. */
class ConnectorTest {

  @Test
  void aBurstOfNewConnectionsIsServedThroughTheConfiguredConnector() throws Exception {
    try (BridleServer server =
        BridleServer.builder()
            .queue(new InMemoryRunQueue(new InMemoryRunStore()))
            .killSwitch(KillSwitch.NONE)
            .tokens(new InMemoryTokenStore(java.time.Clock.systemUTC()))
            .port(0)
            .acceptQueueSize(512)
            .build()
            .start()) {
      assertThat(server.port()).isPositive();
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      List<HttpClient> clients = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        // one client per request: each opens its own connection at once
        HttpClient client = HttpClient.newHttpClient();
        clients.add(client);
        responses.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> response : responses) {
        assertThat(response.get().statusCode()).isEqualTo(200);
      }
      clients.forEach(HttpClient::close);
    }
  }
}
